"""One-time notices (一次性告知书) to every submitter."""
