"""Reports rendered from published figures: the central-bank reconciliation workbook and page."""
