"""The to-do agent: plain words in, a task with a due time and a repeat rule out.

``parser`` is pure (text, now, zone -> ``Draft``/``Ambiguous``); ``recurrence`` does the date
arithmetic in the task's own zone; ``capture`` is the LangGraph flow that asks, confirms and
saves; ``reminding`` and ``agenda`` decide what to tell the owner and when; ``chat`` decides
what the owner's commands and button taps do; ``messages`` writes the texts and buttons.
"""
