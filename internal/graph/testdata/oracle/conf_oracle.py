import json, sys
import os
sys.path.insert(0, os.environ.get('CYLC87', '/tmp/cylc87'))
import cylc.flow.flags
from cylc.flow.graph_parser import GraphParser
inp = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'conf_inputs.json')))
inp['triggering__21-expire'] = {'graphs': {'R1': 'x?\nFOO?\nBAR?\nx:expire? => y\nFOO:expire-all? => baz\nBAR:expire-any? => qux'},
    'fams': {'FOO': ['foo1', 'foo2'], 'BAR': ['bar1', 'bar2']}, 'params': [{}, {}]}
inp['optional-outputs__03-c7backcompat'] = {'graphs': {'R1': 'foo => bar\nfoo:fail => baz\nfoo => !baz'},
    'fams': {}, 'params': [{}, {}], 'cylc7': True}
out = {}
for name, d in sorted(inp.items()):
    cylc.flow.flags.cylc7_back_compat = d.get('cylc7', False)
    opt = {}
    res = {'fams': d['fams'], 'graphs': {}}
    if d.get('cylc7'):
        res['cylc7'] = True
    for key, g in d['graphs'].items():
        pv = {k: [int(x) if x.lstrip('-').isdigit() else x for x in v] for k, v in d['params'][0].items()}
        p = GraphParser(d['fams'], (pv, d['params'][1]), task_output_opt=opt)
        p.parse_graph(g)
        opt.update(p.task_output_opt)
        res['graphs'][key] = {t: sorted(('!' if s else '') + e for e, (l, s) in v.items()) for t, v in p.triggers.items()}
    res['opt'] = {f'{k[0]}:{k[1]}': v[0] for k, v in sorted(opt.items())}
    out[name] = res
mkdir = __import__('os').makedirs
mkdir('/work/main/internal/graph/testdata', exist_ok=True)
json.dump(out, open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'conformance.json'), 'w'), indent=1, sort_keys=True, ensure_ascii=False)
print(len(out))
