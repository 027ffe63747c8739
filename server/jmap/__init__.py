"""JMAP (RFC 8620 core, RFC 8621 mail and submission) over HTTP."""
