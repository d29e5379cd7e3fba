"""The correspondence registers in the desktop app (văn bản đến, văn bản đi; Decree 30/2020).

``area.RegisterArea`` is one navigation page (the list, a document's detail); ``model`` the lazy
table of a register; ``list_page`` the list with its filters and actions; ``document_detail`` one
document; ``dialogs`` the forms and action dialogs (registering, drafting, issuing a number,
voiding, direction and assignment, edXML); ``lease_panel`` who holds each register's numbering;
``export_dialog`` printing and exporting a register; ``jobs`` what runs on the workers (no Qt
widgets there); ``texts`` the translated names and error messages. The domain is app/documents.py,
app/registers.py, app/leases.py, app/register_export.py and app/edxml.py.
Threading: widgets on the GUI thread; every database, file and network call through desk.tasks.
"""
