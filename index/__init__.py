"""Load disclosures, rebuild their structure (sections, tables, facts) and index them."""
