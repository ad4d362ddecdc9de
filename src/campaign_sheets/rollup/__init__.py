"""The participation roll-up: records from sentences and tabs, tables, exports, chart.

Import the parts from their modules (``rollup.report_files.build_reports``,
``rollup.sheet.rollup_rows`` …); this package imports nothing heavy by itself.
"""
