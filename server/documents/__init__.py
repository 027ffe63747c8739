"""Documents the sandbox makes: PDF files (pdf.py) and IHE XDM packages (xdm.py), for the demo's
messages and for the compte rendu of a téléexpertise filed in the patient's record."""
