// Tests for SynclineEngine arrive with its first code (issue 5); the target exists so the layout is fixed.
