"""Running Valhalla's own HTTP server (valhalla_service) on a region, for scaled-out routing."""

from __future__ import annotations

import json
from pathlib import Path

from voltroute.routing.valhalla_config import load_config, with_service_limits

SERVICE_THREADS = (1, 2, 64)  # minimum, default, maximum worker threads of one service


def valhalla_service_binary() -> Path:
    """The valhalla_service executable shipped in the pyvalhalla wheel."""
    import valhalla

    return Path(valhalla.__file__).parent / "bin" / "valhalla_service"


def service_command(
    region_config: Path, host: str, port: int, threads: int, work_dir: Path
) -> list[str]:
    """argv for a valhalla_service listening on host:port, with a config copy in work_dir."""
    lo, _, hi = SERVICE_THREADS
    if not lo <= threads <= hi:
        raise ValueError(f"threads must be within {lo}..{hi}, got {threads}")
    config = with_service_limits(load_config(region_config))
    httpd = config.setdefault("httpd", {}).setdefault("service", {})
    httpd["listen"] = f"tcp://{host}:{port}"
    httpd["loopback"] = f"ipc://{work_dir / 'loopback'}"
    httpd["interrupt"] = f"ipc://{work_dir / 'interrupt'}"
    work_dir.mkdir(parents=True, exist_ok=True)
    config_path = work_dir / "valhalla-service.json"
    config_path.write_text(json.dumps(config, indent=1))
    return [str(valhalla_service_binary()), str(config_path), str(threads)]
