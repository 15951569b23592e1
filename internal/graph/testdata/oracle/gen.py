"""Merge Cylc's results with Gyre's deliberate differences into the test
table ../cylc_cases.json."""
import json, os
here = os.path.dirname(os.path.abspath(__file__))
cases = json.load(open(os.path.join(here, 'cases.json')))
results = json.load(open(os.path.join(here, 'results.json')))
over = json.load(open(os.path.join(here, 'overrides.json')))
out = []
for c, r in zip(cases, results):
    d = {'name': c['name'], 'graphs': c['graphs']}
    for k in ('fams', 'params', 'templates'):
        if c.get(k):
            d[k] = c[k]
    if c.get('cylc7'):
        d['cylc7'] = True
    if 'error' in r:
        d['cylc_err'] = r['error'].split(': ', 1)[1].split('\n')[0]
    else:
        d['triggers'] = r['triggers']
        d['opt'] = r['opt']
    o = over.get(c['name'])
    if o:
        for k in ('err', 'triggers', 'opt'):
            if k in o:
                d['want_' + k] = o[k]
        d['differs'] = o['why']
    out.append(d)
with open(os.path.join(here, '..', 'cylc_cases.json'), 'w') as f:
    json.dump(out, f, indent=1, sort_keys=True, ensure_ascii=False)
    f.write('\n')
print(len(out))
