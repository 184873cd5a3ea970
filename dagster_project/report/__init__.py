"""Annual supervision report (HTML, PDF, XLSX) from the marts."""
