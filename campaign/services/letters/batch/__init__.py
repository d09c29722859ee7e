"""Bulk letter rendering: shared layouts with personal overlays, chunked documents on every core, streamed outputs.

WeasyPrint spends nearly all its time laying out text, and a campaign's letters mostly share their text: only the
address, reference code, date and greeting differ. So letters with the same "shape" (PrintableLetter.shape_key)
are laid out once as a master without those fields, and each letter's personal fields are laid out as one small
overlay page in exactly the same positions; pypdf then prints the overlay over the master's first page as a form
XObject (no content stream is parsed). Letters that share their shape with no other letter of their chunk, and
archival PDF/A output, are set in full instead (several letters per document, split by their page ranges).

Chunks run in a process pool (forkserver, so no database connection or lock is ever inherited); the workers get
plain data and write PDFs to disk, the parent process only composes letters and writes the database. Memory is
bounded by the chunks in flight: per-letter PDFs go straight to files, the ZIP is filled from those files, and the
merged print PDF is written object by object from the chunk files.

Modules: `run` (a campaign's letters end to end: render_campaign_letters), `pool` (the render processes),
`renderer` (one chunk in one process, overlay stamping), `writer` (the streamed print file).
"""
