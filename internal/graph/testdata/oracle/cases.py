import json
from itertools import product
C = []
def case(name, *graphs, fams=None, params=None, templates=None, cylc7=False):
    C.append(dict(name=name, graphs=list(graphs), fams=fams, params=params, templates=templates, cylc7=cylc7))

FAM = {'FAM': ['f1', 'f2'], 'BAM': ['b1', 'b2']}
# --- Cylc's tests/unit/test_graph_parser.py, re-expressed ---
for g in ['t1 => & t2', 't1 => t2 &', '& t1 => t2', 't1 & => t2', 't1 => => t2']:
    case('null task name: ' + g, g)
for seq in ['&', '|', '=>']:
    for g in ["{0} b", "a {0}", "{0} b {0} c", "a {0} b {0}"]:
        case('leading/dangling: ' + g.format(seq), g.format(seq))
for g in ["a b => c", "a => b c", "!foo => bar", "( foo & bar => baz", "a => b & c)",
          "(a => b & c)", "(a => b[+P1]",
          "(a | b & c) => d\n   foo => bar\n   (a | b & c) => !d",
          "a => b | c", "foo && bar => baz", "foo || bar => baz", "foo => bar[1649]",
          "foo:finished => foo:succeeded", "foo[-P1]:finish => foo:succeeded",
          "foo[-P1]:succeeded | foo[-P1]:failed => bar",
          "foo[-P1]:succeeded? | foo[-P1]:failed? => foo:succeeded"]:
    case('syntax error: ' + g, g)
case('simple with comment', 'a => b\n  \n# this is a comment\n')
case('line break on =>', 'a => b\n=> c')
case('line break on &', 'a & b\n& c')
case('line break on |', 'a | b\n| c')
case('line breaks', 'a => b\n=> c =>\nd')
case('param city', 'a => b<city>', params={'city': ['la_paz']}, templates={'city': '_%(city)s'})
case('param undefined', 'a => b<state>', params={'city': ['la_paz']}, templates={'city': '_%(city)s'})
case('inter-workflow', '\n  a<WORKFLOW::TASK:fail> => b\n  c<WORKFLOW::TASK> => d\n')
case('continuation 1', 'a => b => c')
case('continuation 2', 'a =>\nb => c')
case('continuation 3', 'a => b\n=> c')
case('continuation dangling', 'foo => bar\n    a => b =>')
case('continuation leading', ' => a => b\n    foo => bar')
for g in ["foo:succeed => bar", "foo:succeeded => bar", "foo => bar\nfoo => bar",
          "foo:finished => bar", "(foo:succeed? | foo:fail?) => bar",
          "bar\nfoo => bar:succeed => baz  # ignore qualifier on RHS",
          "foo => bar\nbar:succeed => baz", "foo => bar[1649] => baz",
          "foo => bar[1649]\nbar[1649] => baz"]:
    case('equivalence: ' + g, g)
for fams, g in [(FAM, "FAM:succeed-all => BAM"), (FAM, "pre => FAM"), (FAM, "FAM:succeed-all => post"),
                (FAM, "FAM:succeed-any => post"), (FAM, "FAM:fail-any => BAM"),
                (FAM, "FAM:finish-all => post"),
                ({}, "(m1 & m2) => b1\n(m1 & m2) => b2"), ({}, "((m1? | m1:fail?) & (m2? | m2:fail?)) => post")]:
    case('family: ' + g, g, fams=fams)
case('param expand', "\n pre => foo<m,n> => bar<n>\n bar<n=0> => baz  # specific case\n bar<n-1> => bar<n>  # inter-chunk\n",
     fams={'FAM_m0': ['fa_m0', 'fb_m0'], 'FAM_m1': ['fa_m1', 'fb_m1']},
     params={'m': ['0', '1'], 'n': ['0', '1']}, templates={'m': '_m%(m)s', 'n': '_n%(n)s'})
P2 = dict(params={'i': ['0', '1'], 'j': ['0', '1', '2']}, templates={'i': '_i%(i)s', 'j': '_j%(j)s'})
case('param specific', "bar<i-1,j> => baz<i,j>\nfoo<i=1,j> => qux", **P2)
case('param offset', "bar<i-1,j> => baz<i,j>", **P2)
case('conditional', "(foo:start | bar) => baz")
PM = dict(params={'m': ['0', '1'], 'n': ['0', '1']}, templates={'m': '_m%(m)s', 'n': '_n%(n)s'})
for g in ["foo[-P1Y]<m,n> => bar", "foo:fail<m,n> => bar", "foo:fail[-P1Y] => bar",
          "foo[-P1Y]:fail<m,n> => bar", "foo[-P1Y]<m,n>:fail => bar", "foo<m,n>:fail[-P1Y] => bar",
          "foo:fail<m,n>[-P1Y] => bar", "<m,n>:fail[-P1Y] => bar", "[-P1Y]<m,n> => bar",
          "[-P1Y]<m,n>:fail => bar", "bar => foo:fail<m,n>[-P1Y]", "foo[-P1Y]baz => bar"]:
    case('bad node: ' + g, g, **PM)
for g in ["foo bar=> baz", "foo&bar=> ba z", "foo 123=> bar", "foo - 123 baz=> bar",
          "<foo bar> => baz", "<foo=a _bar> => baz", "<foo=a_ bar> => baz",
          "FOO:custom -trigger => baz", "FOO:custom- trigger => baz", "FOO:custom - trigger => baz"]:
    case('spaces: ' + g, g)
for g in ["<m- 1> => <m>", "<m -1> => <m>", "<m - 1> => <m>", "<m+ 1> => <m>", "<m +1> => <m>", "<m + 1> => <m>"]:
    case('param spaces: ' + g, g, params={'m': ['0', '1', '2']}, templates={'m': '_m%(m)s'})
case('param offset and conditional', "foo<m-1> & baz => foo<m>", params={'m': ["cat", "dog"]}, templates={'m': '_%(m)s'})
case('param out of edge', "foo => bar<m-1> => baz", params={'m': ["cat"]}, templates={'m': '_%(m)s'})
for e in ['&', '|', '=>']:
    case('dangling last line ' + e, f't1 => t2 {e}')
for b, a in product(['&', '|', '=>'], repeat=2):
    case(f'consecutive {b} {a}', f'foo & bar {b}\n{a}baz')
case('optional outputs', """
    a1 => b1  # does not imply b1:succeeded ...
    a2:succeed => b2:succeeded
    a3:succeed => b3:succeed
    c1? => d1?
    c2:succeed? => d2?
    c3:succeed? => d3:succeed?
    x:fail? => y
    foo:finish => bar
""")
for q, o in [('start', 'started'), ('succeed', 'succeeded'), ('fail', 'failed'), ('submit', 'submitted')]:
    case(f'family optional {q}', f"FAM:{q}-all => foo\nf2:{o}?\nBAM:{q}-any => bar", fams=FAM)
for g in ['a:expired? => b', 'a:submit-failed? => b', 'a:expired => b', 'a:submit-failed => b']:
    case('cannot be required: ' + g, g)
for g in ["FAM:succeed-all => foo\nFAM:fail-all => foo", "FAM:succeed-all => foo\nFAM:succeed-any? => bar",
          "FAM:blargh-all => foo", "foo => FAM:blargh-all", "FAM => foo", "FAM:expire-all => foo"]:
    case('family error: ' + g, g, fams={'FAM': ['f1', 'f2']})
for g in ["a:x => b\na:x? => c", "a? => c\na => b", "a => c\na:fail => b", "a:fail? => b\na => c",
          "a:finish? => b", "a:expire => b"]:
    case('optional error: ' + g, g)
    case('cylc7: ' + g, g, cylc7=True)
for q in ["expire-all", "expire-any", "start-all", "start-any", "succeed-all", "succeed-any", "fail-all",
          "fail-any", "submit-all", "submit-any", "submit-fail-all", "submit-fail-any", "finish-all", "finish-any"]:
    case('family trigger on task: ' + q, f"foo:{q} => bar")
for g in ['a => b & c', 'a => (b & c)', 'a => (b & (c & d))']:
    case('RHS AND: ' + g, g)

# --- more forms ---
for g in ["foo[-P1D] => foo", "foo[-P1D+PT18H] => bar", "foo[+P1] => bar", "foo[^] => bar",
          "foo[^+P6] => bar", "foo[20100101T0600Z] => bar", "foo[2010-01-01T06:00Z] => bar",
          "foo[-P1D]? => bar", "foo[-P1D]:fail? => bar", "foo[-P1D] & foo[-P2D] => foo",
          "foo[$] => bar", "foo[T-24] => foo", "foo[] => bar", "foo[-P1D] => bar[-P1D]",
          "foo => bar[-P1D] & baz", "foo[-P1D] => bar => baz[-P1D]\nbaz[-P1D] => qux",
          "foo[-P1D]", "a => b\nfoo[-P1D]"]:
    case('offset: ' + g, g)
for g in ["@wall_clock => foo", "@x & @y & a => b", "@x | a => b", "(@x & a) => b", "@x & (a | b) => c",
          "@x", "a => @x", "@x => a => b", "@x:fail => a", "@x? => a", "!@x => a"]:
    case('xtrigger: ' + g, g)
for g in ["a => !b", "a:fail? => !b", "(a | b) => !c", "a => b & !c", "a:fail? => b\na => !b",
          "!a", "a => !b?", "a => !b:fail", "a:x => !b\nb", "foo => !foo", "a => ! b"]:
    case('suicide: ' + g, g)
for g in ["a:x => b", "a => b:x", "a:x? => b", "a:x => b\na:y? => c", "a => b:x => c", "a:x-y => b",
          "a => b:x?"]:
    case('custom output: ' + g, g)
for g in ["a:finish => b", "a => b:finish", "a => b:finish?", "a:finish => b\na:fail? => c",
          "a:finish => b\na => c", "a:finished? => b"]:
    case('finish: ' + g, g)
for fams, g in [(FAM, "FAM:finish-any => b"), (FAM, "FAM:finish-all? => b"), (FAM, "a => FAM:finish-all"),
                (FAM, "a => FAM:finish-all?"), (FAM, "a => FAM:fail-any?"), (FAM, "a => FAM:succeed"),
                (FAM, "FAM:succeed-all => f1"), (FAM, "FAM"), (FAM, "FAM?"), (FAM, "FAM:fail-all?"),
                (FAM, "FAM:succeed-all => FAM:succeed-all"), (FAM, "FAM[-P1D]:succeed-all => a"),
                (FAM, "FAM:start-any | a => b"), (FAM, "FAM:submit-all & BAM:fail-all? => b"),
                (FAM, "a => !FAM"), (FAM, "FAM:succeed-all => a\nf1:fail? => b"),
                (FAM, "f1:fail? => b\nFAM:succeed-all => a"), (FAM, "FAM:fail-any? => a\nFAM:succeed-any? => b"),
                (FAM, "FAM:fail-any => a\nf1? => b"), (FAM, "a => FAM:x"), (FAM, "FAM:succeed-all & x => FAM:succeed-all"),
                ({'FAM': ['f1', 'f2'], 'SUB': ['f2']}, "SUB:succeed-all => a\nFAM:fail-all? => b"),
                (FAM, "FAM:expire-all? => a"), (FAM, "FAM:submit-fail-all? => a"),
                (FAM, "FAM:submit-fail-any? => a")]:
    case('family: ' + g, g, fams=fams)
for g in ["a:expire? => b", "a:expired? => b", "a:submit-fail? => b", "a:submit-fail? => b\na:submit => c",
          "a:submit-fail? => b\na:submit? => c", "a:start => b\na:started => c", "a:submitted => b"]:
    case('outputs: ' + g, g)
for g in ["(a & b) | c:fail? => d", "a | b & c => d", "((a)) => b", "a => ((b))", "(a | (b & (c | d))) => e",
          "a & b | c & d => e", "a(b) => c", "a () => b", "(a &) => b", "(| a) => b", ")a( => b", "a => )b(",
          "a => (b) & (c)", "a => (b)(c)", "a & b & c => d", "a => b => c => d", "a => b & c => d & e",
          "a | b => c & d => e"]:
    case('expression: ' + g, g)
for g in ["t-1 & t+1 & t%1 & t@1 => x", "tâche => b", "a_1-b+c%d@e => f", "1a => b", "-a => b", "a% => b"]:
    case('names: ' + g, g)
case('multiline comments', "# header\n\na => b  # trailing\n   # indented comment\n\tb => c\n")
case('multi graphs shared opt', "a? => b", "a => c")
case('multi graphs ok', "a => b", "b => c")
case('multi graphs finish', "a:finish => b", "a:succeed => c")
case('self edge offset', "a[-P1D] => a")
case('self edge family', "FAM:succeed-all => f1 & f2 => z", fams={'FAM': ['f1', 'f2', 'h']})
case('dup trigger', "a => b\na => b\n(a) => b")
case('queues param', "\n delay<n-1> => delay<n>\n delay<n> => proc<n>\n hold\n",
     params={'n': ['1', '2', '3']}, templates={'n': '_n%(n)s'})
case('param circular', "fool<foo-1> => fool<foo>\nfool<foo=2> => fool<foo=1>",
     params={'foo': ['1', '2', '3']}, templates={'foo': '_foo%(foo)s'})
case('param family', "FAM<m>:succeed-all => a<m>", fams={'FAM_m0': ['x0', 'y0'], 'FAM_m1': ['x1']},
     params={'m': ['0', '1']}, templates={'m': '_m%(m)s'})
case('param prefix', "<m> => b", params={'m': ['0', '1']}, templates={'m': 'p%(m)s'})
case('param mid', "a<m>b => c", params={'m': ['0', '1']}, templates={'m': '_m%(m)s'})
case('param chain middle out', "a<m> => b<m-1> => c<m>", params={'m': ['0', '1']}, templates={'m': '_m%(m)s'})
case('param or out', "x<m-1> | y => z<m>", params={'m': ['0', '1']}, templates={'m': '_m%(m)s'})
case('param bad value', "a<m=5> => b", params={'m': ['0', '1']}, templates={'m': '_m%(m)s'})
import os
json.dump(C, open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'cases.json'), 'w'), indent=1)
print(len(C))
