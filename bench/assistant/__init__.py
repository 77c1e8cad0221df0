"""The assistant's evaluation set (``cases.jsonl``) and its scorer."""
