"""Reading: a .pdf/.txt/.md file → Document (pages with lines and ruled grids, text as printed, metadata) and
its section tree."""
