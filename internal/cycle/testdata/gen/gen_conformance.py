#!/usr/bin/python3
"""Print Go table rows for conformance_test.go from Cylc's cyclers tests.

Reads the [scheduler]/[scheduling] settings and graph section headings of
/work/shared/conformance/cylc/cyclers__*/flow.cylc (a deliberately simple
reader: these files have no Jinja2 and one setting per line), computes each
sequence's points with Cylc 8.7, and prints Go struct literals.

    /usr/bin/python3 testdata/gen/gen_conformance.py --cylc-src /tmp/cylc87
"""

import argparse
import glob
import json
import re
import sys


def read_flow(path):
    sched, scheduling, sections = {}, {}, []
    where = None
    for raw in open(path):
        line = raw.split('#', 1)[0].rstrip()
        if not line.strip():
            continue
        s = line.strip()
        if s.startswith('['):
            name = s.strip('[]')
            if s.startswith('[[['):
                where = None
            elif s.startswith('[['):
                where = 'graph' if name == 'graph' else None
            else:
                where = name
            continue
        if '=' not in s:
            continue
        k, v = [x.strip() for x in s.split('=', 1)]
        if where == 'scheduler':
            sched[k] = v
        elif where == 'scheduling':
            scheduling[k] = v
        elif where == 'graph':
            sections.append(k)
    return sched, scheduling, sections


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--cylc-src', default='')
    a = ap.parse_args()
    if a.cylc_src:
        sys.path.insert(0, a.cylc_src)
    from cylc.flow.cycling import iso8601 as iso
    from cylc.flow.cycling.integer import IntegerSequence, IntegerPoint
    from metomi.isodatetime.data import CALENDAR
    split = re.compile(r'(?![^(]+\)),')
    for path in sorted(glob.glob(
            '/work/shared/conformance/cylc/cyclers__*/flow.cylc')):
        name = path.split('/')[-2]
        sched, scheduling, sections = read_flow(path)
        mode = scheduling.get('cycling mode', 'gregorian')
        icp_s = scheduling.get('initial cycle point', '1')
        fcp_s = scheduling.get('final cycle point')
        nexp = int(sched.get('cycle point num expanded year digits', 0))
        tz = sched.get('cycle point time zone', 'Z')
        rows = []
        if mode == 'integer':
            icp = str(IntegerPoint(icp_s).standardise())
            fcp = None
            if fcp_s:
                fcp = str(int(icp) + int(fcp_s[2:])) if 'P' in fcp_s \
                    else str(int(fcp_s))
            for sec in sections:
                sect = sec.replace('^', icp).replace('$', fcp or '')
                for part in split.split(sect):
                    seq = IntegerSequence(part.strip(), icp, fcp)
                    pts, p = [], seq.get_first_point(IntegerPoint(icp))
                    while p is not None and len(pts) < 20:
                        pts.append(str(p))
                        p = seq.get_next_point(p)
                    rows.append((part.strip(), pts))
        else:
            iso.init(num_expanded_year_digits=nexp, time_zone=tz,
                     cycling_mode=mode)
            CALENDAR.set_mode(mode)
            icp = iso.ISO8601Point(icp_s).standardise()
            fcp = None
            if fcp_s:
                try:
                    fcp = iso.get_point_relative(fcp_s, icp).standardise()
                except Exception:
                    fcp = iso.ISO8601Point(fcp_s).standardise()
            for sec in sections:
                sect = sec.replace('^', str(icp))
                if fcp is not None:
                    sect = sect.replace('$', str(fcp))
                for part in split.split(sect):
                    seq = iso.ISO8601Sequence(part.strip(), str(icp),
                                              None if fcp is None
                                              else str(fcp))
                    pts, p = [], seq.get_first_point(icp)
                    while p is not None and len(pts) < 12 and (
                            fcp is None or p <= fcp):
                        pts.append(str(p))
                        p = seq.get_next_point(p)
                    rows.append((part.strip(), pts))
        q = json.dumps
        print('\t{name: %s, mode: %s, tz: %s, nExp: %d, icp: %s, fcp: %s,'
              % (q(name), q(mode), q(tz), nexp, q(icp_s), q(fcp_s or '')))
        print('\t\ticpWant: %s, fcpWant: %s, seqs: []confSeq{' % (
            q(str(icp)), q('' if fcp is None else str(fcp))))
        for part, pts in rows:
            print('\t\t\t{%s, %s},' % (q(part), q(' '.join(pts))))
        print('\t\t}},')


if __name__ == '__main__':
    main()
