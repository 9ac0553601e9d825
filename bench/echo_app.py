"""The baseline for bench/run.py: a bare FastAPI app that echoes, served by uvicorn the same
way `chatcart demo` is (uvicorn's defaults: uvloop, httptools, websockets).

    python -m uvicorn echo_app:app --app-dir bench --host 127.0.0.1 --port 8001
"""

from __future__ import annotations

from fastapi import FastAPI, WebSocket, WebSocketDisconnect

app = FastAPI(title="echo")


@app.get("/echo")
def echo(text: str = "") -> dict[str, str]:
    """A plain (threadpool) endpoint, like chatcart's /healthz."""
    return {"text": text}


@app.websocket("/ws")
async def echo_socket(websocket: WebSocket) -> None:
    await websocket.accept()
    try:
        while True:
            await websocket.send_text(await websocket.receive_text())
    except WebSocketDisconnect:
        pass
