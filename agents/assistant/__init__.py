"""The assistant: one conversation over the three agents (routing, tools, confirmation)."""
