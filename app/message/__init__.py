"""MSSanté message format: document types, IHE XDM packages, HTML sanitising, composing, patient."""
