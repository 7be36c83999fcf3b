"""What the sample corpus is, read from the documents themselves (cover titles and 部门名称 lines)."""
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
STEMS = ["baoan-2023", "futian-2022", "longgang-2024", "pingshan-2023", "yantian-2024"]
EXPECTED_META = {
    "longgang-2024": ("龙岗区", 2024, "深圳市龙岗区政务服务数据管理局"),
    "yantian-2024": ("盐田区", 2024, "深圳市盐田区政务服务数据管理局"),
    "baoan-2023": ("宝安区", 2023, "深圳市宝安区政务服务数据管理局（本级）"),
    "pingshan-2023": ("坪山区", 2023, "深圳市坪山区政务服务数据管理局"),
    "futian-2022": ("福田区", 2022, "深圳市福田区政务服务数据管理局"),
}
