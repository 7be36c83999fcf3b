"""Write common/radicals.tsv: what each CJK radical code point reads as in a disclosure.

Some PDF producers map common ideographs to radical code points (支 → ⽀ U+2F40, 户 → ⼾ U+2F3E,
龙 → ⻰ U+2EF0). Unicode's EquivalentUnifiedIdeograph.txt names the ideograph each radical looks
like; for the Kangxi radicals that is the traditional form (⼾ → 戶). Disclosures are printed in
simplified characters, so where Unihan gives that form a simplified variant other than itself
(kSimplifiedVariant: 戶 → 户), the table gives the simplified one.

Sources: the Unicode Character Database as Debian's package unicode-data ships it
(`apt-get install unicode-data`, /usr/share/unicode). Run once when Unicode is upgraded:

    python scripts/radical_table.py [/usr/share/unicode] > common/radicals.tsv
"""
from __future__ import annotations

import bz2
import sys
from pathlib import Path

RADICAL_BLOCKS = ((0x2E80, 0x2EFF), (0x2F00, 0x2FDF))  # CJK Radicals Supplement, Kangxi Radicals


def equivalents(ucd: Path) -> dict[int, int]:
    """Given the UCD folder, return each radical code point of the two blocks and its equivalent ideograph."""
    table = {}
    for line in (ucd / "EquivalentUnifiedIdeograph.txt").read_text(encoding="utf-8").splitlines():
        data = line.split("#", 1)[0].strip()
        if not data:
            continue
        points, ideograph = (part.strip() for part in data.split(";"))
        first, _, last = points.partition("..")
        for point in range(int(first, 16), int(last or first, 16) + 1):
            if any(low <= point <= high for low, high in RADICAL_BLOCKS):
                table[point] = int(ideograph, 16)
    return table


def simplified_variants(ucd: Path) -> dict[int, list[int]]:
    """Given the UCD folder, return Unihan's kSimplifiedVariant of each ideograph that has one."""
    variants = {}
    with bz2.open(ucd / "Unihan_Variants.txt.bz2", "rt", encoding="utf-8") as lines:
        for line in lines:
            fields = line.rstrip("\n").split("\t")
            if len(fields) == 3 and fields[1] == "kSimplifiedVariant":
                variants[int(fields[0][2:], 16)] = [int(v.split("<")[0][2:], 16) for v in fields[2].split()]
    return variants


def main(ucd: Path) -> None:
    simplified = simplified_variants(ucd)
    version = (ucd / "ReadMe.txt").read_text(encoding="utf-8").split("Version", 1)[-1].split()[0] \
        if (ucd / "ReadMe.txt").exists() else "?"
    print(f"# radical\tequivalent ideograph\tas printed in simplified text  (written by scripts/radical_table.py "
          f"from the Unicode Character Database {version}: EquivalentUnifiedIdeograph.txt, Unihan kSimplifiedVariant)")
    for radical, ideograph in sorted(equivalents(ucd).items()):
        variants = simplified.get(ideograph, [])
        printed = ideograph if not variants or ideograph in variants else variants[0]
        print(f"{radical:04X}\t{ideograph:04X}\t{printed:04X}\t# {chr(radical)} {chr(ideograph)} {chr(printed)}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/unicode"))
