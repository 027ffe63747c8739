"""The MSSanté trust space the sandbox publishes (issue 14 §3)."""
