"""Documents people receive: ticket and invoice PDFs, Excel lists. Rendering only, no AWS."""
