"""Bulk letter rendering: one document per letter on every core, shared layouts with overlays, streamed outputs.

WeasyPrint spends nearly all its time laying out text. Letters with the same "shape" (PrintableLetter.shape_key:
everything but address, reference code and greeting) are laid out once per render process as a master without
those fields; each later letter of that shape gets its personal fields laid out as one small overlay page in
exactly the same positions, and pypdf prints the overlay over the master's first page as a form XObject. The first
letter of a shape, a letter whose text is its own, and archival PDF/A output are set in full. Every letter is its
own document, and the parent decides which letters share a master (by their order alone), so a letter's PDF is the
same whichever chunk and process it lands in.

Chunks run in a process pool (forkserver, so no database connection or lock is ever inherited); each worker keeps
one typesetter (fonts and parsed stylesheets) for its life. The parent composes a few chunks ahead and takes results
as they finish, so no core waits; it only writes the database and the output files. Memory is bounded by the
chunks in flight: per-letter PDFs go straight to files, the ZIP is filled from those files, and the merged print
PDF is written object by object from the chunk files.

Modules: `run` (a campaign's letters end to end: render_campaign_letters), `plan` (formats, print order, file
names: what needs no PDF library), `pool` (the render processes), `renderer` (one chunk in one process, overlay
stamping), `writer` (the streamed print file), `preload` (what the fork server loads once for every worker).
"""
