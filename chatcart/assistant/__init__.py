"""The adapter to an optional OpenAI-compatible chat endpoint (a local server or a hosted
API), behind the engine's `AssistantModel` port (engine/assistant_model.py). It only speaks
HTTP: the rules, the tools, the loop and the guards are the engine's (ADR 14)."""
