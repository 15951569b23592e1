"""Reference renderer: Python Jinja2 set up the way Cylc 8 sets it up.

Used only to compute the expected values committed in the Go tests (the
tests themselves never run Python). Reads a JSON list of jobs on stdin:

    {"name": str, "src": whole flow.cylc text, "dir": template directory,
     "varlits": {NAME: Python literal}, "env": {NAME: value}}

and prints {name: {"lines": [...]} or {"kind", "msg", "line", "file"}}.
Lines are the rendered lines without blank ones and without the
#!jinja2 header; error lines count the header as line 1.
Needs the cylc-flow package (for its filters) and Jinja2 3.1.
"""
import ast
import json
import os
import re
import sys
import traceback

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateSyntaxError
from cylc.flow.jinja.filters.duration_as import duration_as
from cylc.flow.jinja.filters.pad import pad
from cylc.flow.jinja.filters.strftime import strftime


class Jinja2AssertionError(Exception):
    """What the raise() and assert() globals raise."""


def template_raise(message):
    raise Jinja2AssertionError(message)


def template_assert(condition, message):
    if not condition:
        raise Jinja2AssertionError(message)
    return ''


def environment(directory):
    env = Environment(loader=FileSystemLoader(directory), undefined=StrictUndefined,
                      extensions=['jinja2.ext.do'])
    env.filters.update(pad=pad, strftime=strftime, duration_as=duration_as)
    env.globals.update({'environ': os.environ, 'raise': template_raise, 'assert': template_assert})
    env.globals.update({k: v for k, v in os.environ.items()
                        if k.startswith('CYLC_') and k not in ('CYLC_VERSION', 'CYLC_ENV_NAME')})
    return env


def template_frame(tb):
    """The innermost traceback frame running template code, as (file, line)."""
    found = (None, '')
    for frame in traceback.extract_tb(tb):
        if frame.filename.endswith('.py') or 'template' not in frame.name:
            continue
        found = (frame.lineno, frame.filename)
    return found


def render(job):
    src = job['src']
    lines = src.split('\n')
    if src.endswith('\n'):
        lines = lines[:-1]
    header = bool(lines) and re.match(r'#![jJ]inja2', lines[0])
    body, offset = (lines[1:], 1) if header else (lines, 0)
    os.environ.clear()
    os.environ.update(job.get('env') or {})
    env = environment(job.get('dir') or '/nonexistent')
    variables = {k: ast.literal_eval(v) for k, v in (job.get('varlits') or {}).items()}
    try:
        text = env.from_string('\n'.join(body)).render(variables)
        return {'lines': [line for line in text.splitlines() if line.strip()]}
    except TemplateSyntaxError as exc:
        in_root = not exc.filename
        return {'kind': type(exc).__name__, 'msg': exc.message,
                'line': exc.lineno + (offset if in_root else 0),
                'file': '' if in_root else os.path.basename(exc.filename)}
    except Exception as exc:
        line, filename = template_frame(sys.exc_info()[2])
        in_root = filename in ('<template>', '<unknown>', '')
        if line is not None and in_root:
            line += offset
        return {'kind': type(exc).__name__, 'msg': str(exc), 'line': line,
                'file': '' if in_root else os.path.basename(filename)}


if __name__ == '__main__':
    print(json.dumps({job['name']: render(job) for job in json.load(sys.stdin)},
                     indent=1, sort_keys=True))
