"""Command line (placeholder until the Typer app lands)."""


def main() -> None:
    raise SystemExit("marsad CLI under construction")
