"""Oracle: run Cylc 8.7's GraphParser (+ the graph checks config.py makes)
on cases read as JSON from stdin; print JSON results."""
import json, sys, re
import os
sys.path.insert(0, os.environ.get('CYLC87', '/tmp/cylc87'))
import cylc.flow.flags
from cylc.flow.graph_parser import GraphParser
from cylc.flow.exceptions import CylcError

def config_checks(gp):
    # mimic WorkflowConfig.generate_edges checks
    for right, val in gp.triggers.items():
        for expr, (lefts, suicide) in val.items():
            conditional = '|' in expr
            cx = []
            for left in lefts:
                if left == right or left.startswith(right + ':'):
                    if suicide:
                        continue
                    raise CylcError(f"self-edge detected: {left} => {right}")
                if left.startswith('@') and conditional:
                    cx.append(f'{expr} => {right}')
            if cx:
                raise CylcError('Xtriggers cannot be used in conditional graph expressions:\n' + '\n * '.join(cx))

def run(case):
    cylc.flow.flags.cylc7_back_compat = case.get('cylc7', False)
    params = None
    if case.get('params'):
        params = (case['params'], case['templates'])
    opt = {}
    out = {}
    try:
        for g in case['graphs']:
            gp = GraphParser(case.get('fams') or None, params, task_output_opt=opt)
            gp.parse_graph(g)
            opt.update(gp.task_output_opt)
            config_checks(gp)
            trig = {}
            for t, v in gp.triggers.items():
                trig[t] = sorted(('!' if s else '') + e for e, (l, s) in v.items())
            out.setdefault('triggers', []).append(trig)
    except Exception as e:
        return {'error': type(e).__name__ + ': ' + str(e)}
    out['opt'] = {f'{k[0]}:{k[1]}': v[0] for k, v in opt.items()}
    return out

cases = json.load(sys.stdin)
json.dump([run(c) for c in cases], sys.stdout, indent=1)
