"""Extract graph strings, family map and parameters from each non-Jinja2
conformance workflow using the installed Cylc 8.0.2 config loader."""
import json, sys, os, glob, csv
from types import SimpleNamespace
from cylc.flow.config import WorkflowConfig
import logging
logging.disable(logging.CRITICAL)
root = '/work/shared/conformance/cylc'
rows = list(csv.reader(open(root + '/INDEX.tsv'), delimiter='\t'))
hdr = rows[1]
out = {}
for r in rows[2:]:
    d = dict(zip(hdr, r))
    if d['uses_jinja2'] != 'n':
        continue
    path = f"{root}/{d['name']}/flow.cylc"
    try:
        cfg = WorkflowConfig(d['name'], path, SimpleNamespace(is_validate=True, icp=None, startcp=None, reference_test=False))
    except Exception as e:
        out[d['name']] = {'load_error': str(e)}
        continue
    family_map = {
        family: [t for t in sorted(tasks) if t in cfg.runtime['parents'] and t not in cfg.runtime['descendants']]
        for family, tasks in cfg.runtime['descendants'].items() if family != 'root'
    }
    graphs = dict(cfg.cfg['scheduling']['graph'])
    out[d['name']] = {'graphs': graphs, 'fams': family_map,
                      'params': [{k: [str(x) for x in v] for k, v in cfg.parameters[0].items()}, cfg.parameters[1]]}
json.dump(out, open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'conf_inputs.json'), 'w'), indent=1)
print(len(out), [k for k, v in out.items() if 'load_error' in v])
