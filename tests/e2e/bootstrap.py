"""Prepare a fresh database for a browser test in one process (start-up is the slow part on a busy machine).

Runs the real commands an operator runs — the schema, `crm seed`, optionally `crm demo`, `crm create-user`
(password on standard input) and `crm create-token` — and prints the tokens as JSON.
Usage: python bootstrap.py SPEC_JSON
"""
import json
import sys

from crm import create_app


def create_schema(app) -> None:
    """Build the empty schema the way the product does: the migration history."""
    from flask_migrate import upgrade

    upgrade()


def invoke(runner, args: list[str], stdin: str = "") -> str:
    result = runner.invoke(args=args, input=stdin)
    if result.exit_code != 0:
        raise SystemExit(f"flask {' '.join(args)} failed ({result.exit_code}):\n{result.output}\n{result.exception!r}")
    return result.output


def main(spec: dict) -> dict:
    app = create_app()
    runner = app.test_cli_runner()
    tokens = {}
    with app.app_context():  # as `flask` gives its commands
        create_schema(app)
        invoke(runner, ["crm", "seed"])
        if spec.get("demo_companies"):  # `crm demo` fills only an empty database: before our users
            day = ["--today", spec["demo_today"]] if spec.get("demo_today") else []  # a fixed day: the same data
            invoke(runner, ["crm", "demo", "--companies", str(spec["demo_companies"]), *day])
        for user in spec.get("users", []):
            args = ["crm", "create-user", user["username"], "--role", user["role"], "--name", user.get("name", "")]
            for code in user.get("parks", []):
                args += ["--park", code]
            invoke(runner, args, stdin=f"{spec['password']}\n{spec['password']}\n")
            output = invoke(runner, ["crm", "create-token", user["username"]])
            tokens[user["username"]] = output.strip().splitlines()[-1]
    return tokens


if __name__ == "__main__":
    print(json.dumps(main(json.loads(sys.argv[1]))))
