"""Run the web app: `python app.py --home DIR [--host H] [--port P]`.

Wiring only: settings from the environment and arguments, the app from `ui.create_app`, served by uvicorn.
"""

from __future__ import annotations

import argparse
import threading
import time
from pathlib import Path

from assistant.settings import Settings, force_offline


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="councilchat web app (chat page at /, REST API under /api)")
    parser.add_argument("--home", type=Path, help="index folder (default: $COUNCILCHAT_HOME or .councilchat)")
    parser.add_argument("--host", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default 7860)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    force_offline()
    args = parse_args(argv)
    overrides = {key: value for key, value in vars(args).items() if value is not None}
    settings = Settings(**overrides)

    import uvicorn

    from ui import create_app

    started = time.perf_counter()
    app = create_app(settings)
    server = uvicorn.Server(uvicorn.Config(app, host=settings.host, port=settings.port, log_level="warning"))
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::", "") else settings.host
    url = f"http://{host}:{settings.port}/"

    def announce() -> None:
        while not server.started and not server.should_exit:
            time.sleep(0.05)
        if server.started:
            print(f"councilchat is ready at {url} (index: {settings.home_dir}; "
                  f"started in {time.perf_counter() - started:.1f}s). Ctrl+C to stop.", flush=True)

    print(f"councilchat: starting on {url} …", flush=True)
    threading.Thread(target=announce, daemon=True).start()
    server.run()


if __name__ == "__main__":
    main()
