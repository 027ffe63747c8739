"""« Traces de la messagerie » (issue 14 §5): the local trace of mailbox actions, its viewer and
its CSV export."""
