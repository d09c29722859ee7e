"""Recipient import from CSV and XLSX: reading German exports, mapping columns, a dry-run report, the import.

The modules are `reader` (file to table, with `xlsx` for workbooks and `table` for the result), `columns` (which
column is which field), `plan` (checking rows and importing them) and `uploads` (what the web import keeps
between its steps); their public names are re-exported here, so callers write
`from campaign.services.recipients import importing as importer`.
"""

from campaign.services.recipients.importing.columns import (
    HEADER_SYNONYMS,
    IGNORE,
    MULTI_COLUMN_FIELDS,
    Column,
    detect_columns,
    field_choices,
    mapping_by_header,
    parse_field_name,
    resolve_mapping,
    undecided_columns,
)
from campaign.services.recipients.importing.plan import (
    NAME_FIELDS,
    STATUS_LABELS,
    ImportPlan,
    RecipientImport,
    RowResult,
    RowStatus,
    plan_import,
    report_lines,
    result_line,
    run_import,
    summary_line,
)
from campaign.services.recipients.importing.reader import (
    check_file_size,
    decode_text,
    detect_delimiter,
    file_kind,
    read_table,
    read_upload,
)
from campaign.services.recipients.importing.table import (
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    ImportFileError,
    Row,
    Table,
)
from campaign.services.recipients.importing.uploads import (
    UPLOAD_MAX_AGE_SECONDS,
    discard_upload,
    load_table,
    mapping_from_meta,
    purge_uploads,
    save_table,
    update_upload_meta,
)

__all__ = [
    "HEADER_SYNONYMS",
    "IGNORE",
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "MULTI_COLUMN_FIELDS",
    "NAME_FIELDS",
    "STATUS_LABELS",
    "UPLOAD_MAX_AGE_SECONDS",
    "Column",
    "ImportFileError",
    "ImportPlan",
    "RecipientImport",
    "Row",
    "RowResult",
    "RowStatus",
    "Table",
    "check_file_size",
    "decode_text",
    "detect_columns",
    "detect_delimiter",
    "discard_upload",
    "field_choices",
    "file_kind",
    "load_table",
    "mapping_by_header",
    "mapping_from_meta",
    "parse_field_name",
    "plan_import",
    "purge_uploads",
    "read_table",
    "read_upload",
    "report_lines",
    "resolve_mapping",
    "result_line",
    "run_import",
    "save_table",
    "summary_line",
    "undecided_columns",
    "update_upload_meta",
]
