"""The MSSanté trust space (issue 14 §3): which recipients' domains a message may go to."""
