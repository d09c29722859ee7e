"""Recipient import from CSV and XLSX: reading German exports, mapping columns, a dry-run report, the import.

The modules are `reader` (file to table), `columns` (which column is which field), `plan` (checking rows and
importing them) and `uploads` (what the web import keeps between its steps); their public names are
re-exported here, so callers write `from campaign.services.recipients import importing as importer`.
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
    MAX_FILE_BYTES,
    MAX_ROWS,
    ImportFileError,
    Row,
    Table,
    decode_text,
    detect_delimiter,
    read_table,
)
from campaign.services.recipients.importing.uploads import (
    UPLOAD_MAX_AGE_SECONDS,
    discard_upload,
    load_upload,
    mapping_from_meta,
    purge_uploads,
    save_upload,
    update_upload_meta,
)

__all__ = [
    "HEADER_SYNONYMS",
    "IGNORE",
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
    "decode_text",
    "detect_columns",
    "detect_delimiter",
    "discard_upload",
    "field_choices",
    "load_upload",
    "mapping_by_header",
    "mapping_from_meta",
    "parse_field_name",
    "plan_import",
    "purge_uploads",
    "read_table",
    "report_lines",
    "resolve_mapping",
    "result_line",
    "run_import",
    "save_upload",
    "summary_line",
    "undecided_columns",
    "update_upload_meta",
]
