"""Run the web app: `python app.py --home DIR [--host H] [--port P]` (also `councilchat serve`).

Wiring only: settings from the environment and arguments, then `ui.serve`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from assistant.settings import Settings, force_offline


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="councilchat web app (chat page at /, REST API under /api)")
    parser.add_argument("--home", type=Path, help="index folder (default: $COUNCILCHAT_HOME or .councilchat)")
    parser.add_argument("--host", help="interface to listen on (default: $GRADIO_SERVER_NAME or 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default: $COUNCILCHAT_PORT, $GRADIO_SERVER_PORT or 7860)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    force_offline()
    args = parse_args(argv)
    overrides = {key: value for key, value in vars(args).items() if value is not None}
    from ui import serve

    serve(Settings(**overrides))


if __name__ == "__main__":
    main()
