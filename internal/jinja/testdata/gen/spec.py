# Hand-written feature templates for internal/jinja tests. Each case:
# (name, src, vars) where vars maps NAME -> Python literal text.
H = '#!jinja2\n'
J = '#!Jinja2\n'
CASES = [
 # --- header handling and output shaping
 ('header_lower', H + 'a\n{{ 1 + 1 }}', {}),
 ('header_upper_j', J + '[x]\n    y = {{ "z" }}', {}),
 ('header_trailing_text', '#!jinja2 extra words\na', {}),
 ('no_header_line_kept', '# first line is data\n{{ 2 * 3 }}', {}),
 ('header_all_caps_is_data', '#!JINJA2\n{{ 1 }}', {}),
 ('blank_lines_removed', H + 'a\n\n   \n{% set x = 1 %}\n{% if true %}\n\nb\n{% endif %}\n\t\nc\n', {}),
 ('crlf_source', H + 'a\r\n{% set x = 2 %}\r\nb{{ x }}\r\n', {}),
 ('trailing_newline', H + 'a\nb\n', {}),
 # --- whitespace control (no trim_blocks / lstrip_blocks, as Cylc)
 ('ws_minus_both', H + 'a  \n  {%- if true -%}  \n  b\n  {%- endif %}\nc', {}),
 ('ws_print_minus', H + 'x  {{- "y" -}}  z', {}),
 ('ws_comment_minus', H + 'p\n   {#- c -#}\n   q', {}),
 ('ws_default_keeps_indent', H + '[runtime]\n{% for m in [1, 2] %}\n    [[m{{ m }}]]\n{% endfor %}', {}),
 ('ws_plus_is_noop', H + 'a\n  {%+ if true %}b{% endif %}', {}),
 ('raw_block', H + '{% raw %}{{ not_expanded }} {% if %}{% endraw %}', {}),
 ('raw_block_trim', H + 'a\n{%- raw -%}\n   {{ x }}\n{%- endraw %}', {}),
 ('comment_multiline', H + 'a{# one\ntwo #}b\nc', {}),
 # --- variables and literals
 ('var_types', H + '{{ I }}|{{ F }}|{{ S }}|{{ B }}|{{ N }}|{{ L }}|{{ T }}|{{ D }}', {'I': '42', 'F': '1.5', 'S': "'abc'", 'B': 'True', 'N': 'None', 'L': "[1, 'two', 3.0]", 'T': "('a', 1)", 'D': "{'x': 1, 'y': [2, 3]}"}),
 ('var_set_value', H + '{{ S }}|{{ S|length }}', {'S': '{1, 2, 3}'}),
 ('literals_print', H + '{{ None }}|{{ none }}|{{ True }}|{{ false }}|{{ 1.0 }}|{{ 1e20 }}|{{ [1, "a", None] }}|{{ (1, 2) }}|{{ (1,) }}|{{ () }}|{{ {} }}', {}),
 ('float_repr', H + '{{ 1.5 }}|{{ 2.0 }}|{{ 100.0 }}|{{ 1e15 }}|{{ 1e16 }}|{{ 0.0001 }}|{{ 0.00001 }}|{{ 3.14159265358979 }}|{{ 1/7 }}|{{ 0.1 + 0.2 }}|{{ -0.0 }}|{{ 123456789012345678.0 }}', {}),
 ('string_escapes', H + r'''{{ "a\tb" }}|{{ 'it\'s' }}|{{ '\\' }}|{{ '\x41\u00e9' }}|{{ 'x\q' }}|{{ '\101' }}|{{ "a\nb"|length }}''', {}),
 ('string_repr_in_list', H + '''{{ ["it's", 'q"x', "both'\\"", "tab\\t", "é"] }}''', {}),
 ('string_adjacent', H + "{{ 'a' 'b' \"c\" }}", {}),
 ('numbers_literals', H + '{{ 0x1F }}|{{ 0o17 }}|{{ 0b101 }}|{{ 1_000 }}|{{ 1.5e3 }}|{{ 1_0.5 }}', {}),
 ('unicode', H + "{{ 'héllo'|upper }}|{{ 'héllo'|length }}|{{ 'héllo'[1] }}|{{ ['é'] }}", {}),
 # --- arithmetic with Python semantics
 ('pct_int', H + '{{ "%03d" % 5 }}|{{ "%d" % 3.99 }}|{{ "%5d|%-5d|" % (42, 42) }}|{{ "%+d % d" % (5, 5) }}|{{ "%i" % True }}|{{ "%.3d" % 5 }}', {}),
 ('pct_tuple_dict', H + '{{ "%s_%s" % ("a", "b") }}|{{ "%(x)s-%(y)03d" % {"x": "p", "y": 7} }}|{{ "%s" % [1, 2] }}|{{ "%s" % ((1, 2),) }}|{{ "%%" % () }}|{{ "%s" % {"k": 1} }}', {}),
 ('pct_float', H + '{{ "%f" % 3.14159 }}|{{ "%.2f" % 2.675 }}|{{ "%5.1f|" % 3.14159 }}|{{ "%e" % 12345.678 }}|{{ "%+.2e" % -1234.5 }}|{{ "%g|%g|%g|%G" % (1e-5, 123456789, 0.5, 1e20) }}|{{ "%#g" % 1 }}|{{ "%05.1f" % 2.25 }}', {}),
 ('pct_other', H + '{{ "%x|%X|%#x|%o|%#o|%c|%r|%s|%5s|%-5s|%.2s" % (255, 255, 255, 8, 8, 65, "s", None, "ab", "ab", "abc") }}', {}),
 ('pow_int', H + '{{ 2 ** 10 }}|{{ 2 ** -1 }}|{{ (-2) ** 3 }}|{{ -2 ** 2 }}|{{ 2 ** 3 ** 2 }}|{{ 2.0 ** 0.5 }}|{{ 10 ** 15 }}', {}),
 ('floordiv_mod', H + '{{ 7 // 2 }}|{{ -7 // 2 }}|{{ 7 // -2 }}|{{ 7.5 // 2 }}|{{ 7 % 3 }}|{{ -7 % 3 }}|{{ 7 % -3 }}|{{ 7.5 % 2 }}|{{ 10 / 5 }}|{{ 1 / 3 }}|{{ (7 / 2)|int }}', {}),
 ('bool_arith', H + '{{ True + 1 }}|{{ True * 3 }}|{{ -True }}|{{ 1 == True }}|{{ 1.0 == 1 }}|{{ 1 + 2.5 }}', {}),
 ('str_list_mul_add', H + "{{ 'ab' * 3 }}|{{ 3 * 'x' }}|{{ [1] * 2 }}|{{ 'a' * -1 }}|{{ [1] + [2] }}|{{ (1,) + (2,) }}|{{ 'a' + 'b' }}", {}),
 ('concat_tilde', H + "{{ 'x' ~ 1 ~ None ~ 2.5 ~ [1] }}", {}),
 ('compare_chain', H + "{{ 1 < 2 < 3 }}|{{ 3 > 2 > 2 }}|{{ 'a' < 'b' }}|{{ [1, 2] < [1, 3] }}|{{ (1, 2) == (1, 2) }}|{{ [1] == (1,) }}|{{ 1 != 2 }}|{{ 2 >= 2 <= 3 }}", {}),
 ('in_operator', H + "{{ 'a' in ['a'] + ['b'] }}|{{ 1 not in [2] }}|{{ not 1 in [1] }}|{{ 'b' in 'abc' }}|{{ 'x' in {'x': 1} }}|{{ 3 in range(5) }}|{{ 2 in (1, 2) }}", {}),
 ('logic_values', H + "{{ 0 or 'y' }}|{{ 1 and 2 }}|{{ [] and 'x' }}|{{ not none }}|{{ not [] and 'z' }}|{{ none or none }}", {}),
 ('unary_filter_precedence', H + '{{ -1|abs }}|{{ "1" ~ 2|string }}|{{ [1, 2]|length * 2 }}|{{ -(3)|abs }}', {}),
 ('cond_expr', H + "{{ 'a' if true else 'b' }}|{{ 'a' if false else 'b' }}|{% set x = (1 if none else 2) %}{{ x }}|{{ [('y' if 1 > 2 else 'n')] }}|{{ 'a' if false }}|{{ ('a' if false) ~ 'x' }}", {}),
 # --- statements
 ('set_forms', H + "{% set a = 1 %}{% set b, c = 2, 3 %}{% set d = [a, b, c] %}{% set e = {'k': d} %}{{ a }}{{ b }}{{ c }}{{ d }}{{ e }}", {}),
 ('set_block', H + "{% set b %}in {{ 1 + 1 }}{% endset %}{{ b }}|{% set c | upper %}q{% endset %}{{ c }}", {}),
 ('set_list_dict_multiline', H + "{% set D = {\n  'a': 1,\n  'b': [1, 2],\n} %}\n{% set L = [\n  'x',\n  'y'\n] %}\n{{ D['b'][1] }} {{ D|length }} {{ L|join(',') }}", {}),
 ('set_in_loop_is_local', H + '{% set x = 1 %}{% for i in range(2) %}{% set x = x + 1 %}{{ x }}{% endfor %}{{ x }}', {}),
 ('set_in_if_is_not_local', H + '{% set x = 1 %}{% if true %}{% set x = 2 %}{% endif %}{{ x }}', {}),
 ('set_per_iteration', H + '{% for i in range(3) %}{% if i == 0 %}{% set x = "a" %}{% endif %}{{ x|default("u") }}{% endfor %}', {}),
 ('list_plus_accumulate', H + "{% set L = ['x'] %}{% set L = L + ['y'] %}{{ L|join(' & ') }}", {}),
 ('namespace', H + '{% set ns = namespace(c=0, names=[]) %}{% for i in range(3) %}{% set ns.c = ns.c + i %}{% do ns.names.append("n" ~ i) %}{% endfor %}{{ ns.c }} {{ ns.names }}', {}),
 ('do_append_in_loop', H + '{% set TASKS = [] %}{% for I in range(0, 3) %}{% do TASKS.append("mem_" ~ I) %}{% endfor %}{{ TASKS }}', {}),
 ('do_update_dict', H + "{% set D = {} %}{% do D.update({'a': 1}) %}{% do D.update(b=2) %}{{ D }}", {}),
 ('do_expr_value_discarded', H + '{% set L = [] %}{% do L.append(1) or L.append(2) %}{{ L }}', {}),
 ('if_elif_else', H + '{% for n in [1, 2, 3] %}{% if n == 1 %}one{% elif n == 2 %}two{% else %}other{% endif %} {% endfor %}', {}),
 ('if_multiline_condition', H + '{% if true and\n   false %}y{% else %}n{% endif %}', {}),
 ('for_unpack_pairs', H + '{% for a, b in [(1, 2), (3, 4)] %}{{ a }}{{ b }};{% endfor %}', {}),
 ('for_unpack_three', H + '{% for a, b, c in [(1, 2, 3), "xyz"] %}{{ a }}{{ b }}{{ c }};{% endfor %}', {}),
 ('for_dict_items', H + '{% for k, v in {"x": 1, "y": 2}.items() %}{{ k }}={{ v }};{% endfor %}|{% for k in {"x": 1, "y": 2} %}{{ k }}{% endfor %}', {}),
 ('for_string', H + '{% for c in "abc" %}{{ c }}-{% endfor %}', {}),
 ('for_else_and_filter', H + '{% for i in [] %}x{% else %}empty{% endfor %}|{% for i in range(5) if i is odd %}{{ i }}/{{ loop.length }} {% endfor %}', {}),
 ('loop_vars', H + '{% for i in [1, 2, 3] %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}{{ loop.cycle("a", "b") }} {% endfor %}', {}),
 ('loop_nested_depth', H + '{% for i in [1, 2] %}{% for j in [1] %}{{ loop.depth }}{{ loop.depth0 }}{% endfor %}{% endfor %}', {}),
 ('loop_prev_next_changed', H + "{% for i in [1, 2, 3] %}{{ loop.previtem|default('-') }}{{ loop.nextitem|default('-') }}{% if loop.changed(i % 2) %}c{% endif %};{% endfor %}", {}),
 ('loop_recursive', H + "{% set tree = [{'n': 'a', 'c': [{'n': 'b', 'c': []}]}] %}{% for x in tree recursive %}{{ x.n }}({{ loop(x.c) }}){% endfor %}", {}),
 ('range_forms', H + '{{ range(3) }}|{{ range(3)|list }}|{{ range(1, 10, 3)|list }}|{{ range(5, 0, -2)|list }}|{{ range(2, 2)|list }}|{% for i in range(1, 4) %}{{ i }}{% endfor %}', {}),
 ('macro_basic', H + '{% macro task(name, n=1) %}[[{{ name }}_{{ n }}]]{% endmacro %}{{ task("a") }} {{ task("b", 2) }} {{ task(n=3, name="c") }}', {}),
 ('macro_varargs_kwargs', H + '{% macro f(a, b=2) %}{{ a }}{{ b }}{{ varargs }}{{ kwargs }}{% endmacro %}{{ f(1, 3, 4, z=5) }}', {}),
 ('macro_default_uses_param', H + '{% macro m(a, b=a*2) %}{{ a }},{{ b }}{% endmacro %}{{ m(3) }}|{{ m(3, 1) }}', {}),
 ('macro_nested_calls', H + '{% macro outer(n) %}{% for i in range(n) %}<{{ inner(i) }}>{% endfor %}{% endmacro %}{% macro inner(i) %}{{ i * 2 }}{% endmacro %}{{ outer(3) }}', {}),
 ('macro_sees_globals', H + '{% set G = "g" %}{% macro m() %}{{ G }}{{ X }}{% endmacro %}{{ m() }}', {'X': "'x'"}),
 ('macro_missing_arg_unused', H + '{% macro m(a, b) %}{{ a }}{% endmacro %}{{ m(1) }}', {}),
 ('call_block', H + '{% macro w(x) %}[{{ caller(x) }}]{% endmacro %}{% call(v) w(3) %}v={{ v }}{% endcall %}', {}),
 ('filter_block', H + '{% filter upper %}hello {{ "x" }}{% endfilter %}|{% filter replace("a", "b")|upper %}aaa{% endfilter %}', {}),
 ('with_block', H + '{% with a = 1, b = 2 %}{{ a + b }}{% endwith %}{{ a|default("out") }}', {}),
 ('print_tag', H + "{% print 'a', 1 %}", {}),
 ('block_tag', H + '{% block foo %}in block{% endblock %}', {}),
 # --- methods
 ('str_methods', H + "{{ 'a,b,,c'.split(',') }}|{{ ' a b '.split() }}|{{ 'a b c'.split(None, 1) }}|{{ 'a-b-c'.rsplit('-', 1) }}|{{ 'x'.join(['1', '2']) }}|{{ ' p '.strip() }}|{{ 'aXbX'.replace('X', 'y') }}|{{ 'abc'.startswith(('x', 'a')) }}|{{ 'Hello World'.lower() }}|{{ 'hello world'.title() }}|{{ 'abc'.upper() }}", {}),
 ('str_methods_2', H + "{{ 'abc'.find('c') }}{{ 'abc'.index('b') }}{{ 'a,b'.partition(',') }}{{ 'x'.zfill(3) }}{{ '-5'.zfill(4) }}{{ 'ab'.center(6, '*') }}{{ 'abc'.count('b') }}{{ 'a b'.capitalize() }}{{ '  x'.lstrip() }}{{ 'x  '.rstrip() }}{{ 'xyx'.strip('x') }}{{ 'A1'.isalnum() }}{{ '12'.isdigit() }}{{ 'ab'.endswith('b') }}{{ 'a\\nb\\nc'.splitlines() }}{{ 'aXbXc'.split('X', 1) }}{{ 'Hello'.swapcase() }}{{ 'ab'.ljust(4, '.') }}{{ 'ab'.rjust(4) }}", {}),
 ('str_format_method', H + '{{ "{:>5}|{}".format(1, "a") }}|{{ "{0:03d}-{1}".format(7, "x") }}|{{ "{a}{b!r}".format(a=1, b="q") }}|{{ "{:,}|{:.2f}|{:e}|{:x}|{:#b}|{:^7}|{:*<4}|{:+.1%}".format(1234567, 3.14159, 12.5, 255, 5, "ab", "z", 0.256) }}|{{ "{{}}{}".format(1) }}|{{ "{0[1]}{1[k]}".format([5, 6], {"k": 7}) }}', {}),
 ('list_methods', H + "{% set L = [3, 1, 2] %}{% do L.sort() %}{{ L }}{% do L.reverse() %}{{ L }}{% do L.insert(0, 9) %}{{ L }}{{ L.pop() }}{{ L }}{% do L.extend([7, 8]) %}{{ L }}{% do L.remove(9) %}{{ L }}{{ L.index(7) }}{{ L.count(3) }}", {}),
 ('dict_methods', H + '{% set d = {"a": 1} %}{{ d.get("a") }}{{ d.get("z", 9) }}{{ d.get("z") }}{{ d.keys()|list }}{{ d.values()|list }}{{ d["a"] }}{{ d.a }}{% do d.setdefault("b", 2) %}{{ d }}{{ d.pop("a") }}{{ d }}{{ d.items()|list }}', {}),
 ('dict_views_in', H + "{% set d = {'a': 1} %}{{ 'a' in d.keys() }}{{ 1 in d.values() }}{{ ('a', 1) in d.items() }}{{ d.keys() }}", {}),
 ('tuple_methods', H + "{% set t = (1, 'a') %}{{ t[0] }}{{ t|length }}{{ t + (2,) }}{{ t.index('a') }}{% set a, b = t %}{{ b }}", {}),
 ('nested_access', H + '{% set d = {"k": {"n": [10, 20]}} %}{{ d.k.n[1] }}{{ d["k"]["n"][0] }}{% set L = [10, 20] %}{{ L.1 }}{{ "abc".0 }}', {}),
 ('slices', H + '{{ "abcdef"[1:3] }}|{{ [1, 2, 3, 4][::-1] }}|{{ [1, 2, 3, 4][-2:] }}|{{ "abc"[-1] }}|{{ range(10)[2:5] }}|{{ [1, 2, 3][5:] }}|{{ "abc"[::2] }}|{{ (1, 2, 3)[1:] }}', {}),
 ('dict_keys_python_equality', H + "{% set d = {1: 'a', True: 'b', 1.0: 'c', (1, 2): 'd'} %}{{ d }}{{ d[(1, 2)] }}", {}),
 # --- globals
 ('globals_environ', H + "{{ environ['HOME'] }}|{{ environ.get('NOPE', 'dflt') }}|{{ 'HOME' in environ }}|{{ CYLC_FOO }}", {}),
 ('globals_cylc_env_excludes_version', H + '{{ CYLC_VERSION is defined }}|{{ CYLC_ENV_NAME is defined }}|{{ CYLC_FOO }}', {}),
 ('globals_dict_cycler_joiner', H + "{{ dict(a=1, b=2) }}|{{ dict([('x', 1)]) }}|{% set c = cycler('a', 'b') %}{{ c.next() }}{{ c.next() }}{{ c.next() }}{{ c.current }}|{% set j = joiner(' | ') %}{% for x in [1, 2, 3] %}{{ j() }}{{ x }}{% endfor %}", {}),
 ('assert_passes', H + '{{ assert(true, "nope") }}ok', {}),
 # --- filters
 ('filter_int_float', H + "{{ '3'|int + 1 }}|{{ '4.7'|int }}|{{ 'x'|int }}|{{ 'x'|int(9) }}|{{ '0x1F'|int(0, 16) }}|{{ ' 12 '|int }}|{{ '1_000'|int }}|{{ '-3'|int }}|{{ True|int }}|{{ -3.9|int }}|{{ none|int }}|{{ '1e3'|int }}|{{ '12'|int(base=8) }}|{{ 3|float }}|{{ '2.5'|float }}|{{ '1e3'|float }}|{{ 'x'|float(1.5) }}|{{ none|float }}", {}),
 ('filter_string_join_length', H + "{{ [1, 2]|join(',') }}|{{ [1, 2]|join }}|{{ [1, 2]|length }}|{{ 'abc'|length }}|{{ {'a': 1}|count }}|{{ 5|string ~ '!' }}|{{ 'abc'|list }}|{{ [{'a': 1}, {'a': 2}]|join(', ', attribute='a') }}", {}),
 ('filter_default', H + "{{ x|default('d') }}|{{ ''|default('e', true) }}|{{ none|default('n') }}|{{ none|default('n', true) }}|{{ x|d }}|{{ 0|default(5) }}", {}),
 ('filter_seq', H + "{{ [1, 2, 3]|first }}|{{ [1, 2, 3]|last }}|{{ [1, 2, 3]|sum }}|{{ [3, 1]|min }}|{{ [3, 1]|max }}|{{ ['a', 'A', 'b']|unique|list }}|{{ [1, 2, 3]|reverse|list }}|{{ 'abc'|reverse }}|{{ [1, 2, 3, 4, 5]|batch(2)|list }}|{{ [1, 2, 3, 4, 5]|slice(2)|list }}|{{ [1, 2, 3, 4, 5]|batch(2, 0)|list }}", {}),
 ('filter_sort', H + "{{ [3, 1, 2]|sort }}|{{ ['b', 'A', 'c']|sort }}|{{ ['b', 'A', 'c']|sort(case_sensitive=true) }}|{{ [3, 1, 2]|sort(reverse=true) }}|{{ {'b': 1, 'a': 2}|dictsort }}|{{ {'b': 1, 'a': 2}|dictsort(by='value') }}", {}),
 ('filter_round', H + "{{ 2.5|round }}|{{ 3.14159|round(2) }}|{{ 3.1|round(0, 'ceil') }}|{{ 5|round }}|{{ 2.675|round(2) }}|{{ 0.5|round }}|{{ 1.5|round }}|{{ -2.5|round }}|{{ 1234|round(-2) }}|{{ 3.7|round(0, 'floor') }}|{{ 12.345|round(1, 'ceil') }}", {}),
 ('filter_text', H + "{{ '  hi  '|trim }}|{{ 'xhix'|trim('x') }}|{{ 'hello world'|capitalize }}|{{ 'hello-world (x) [y]'|title }}|{{ 'a\nb'|indent(2) }}|{{ 'a\nb\n\nc'|indent(2, true) }}|{{ 'a\nb\n\nc'|indent(2, blank=true) }}|{{ 'x'|center(5) }}|{{ 'Hello'|upper }}|{{ 'Hello'|lower }}|{{ 'aXa'|replace('a', 'b') }}|{{ 'aaa'|replace('a', 'b', 2) }}|{{ 'hello world foo'|wordcount }}", {}),
 ('filter_format_truncate', H + "{{ '%s=%s'|format('a', 1) }}|{{ '%(a)s-%(b)s'|format(a=1, b=2) }}|{{ 'hello world'|truncate(9) }}|{{ 'one two three'|truncate(7, true) }}|{{ 'one two three'|truncate(7, false, '..', 0) }}", {}),
 ('filter_select_map', H + "{% set L = [{'n': 'x', 'v': 2}, {'n': 'y', 'v': 1}] %}{{ [1, 2, 3, 4]|select('odd')|list }}|{{ [1, 2, 3, 4]|reject('odd')|list }}|{{ [0, 1, '']|select|list }}|{{ ['a', 'b']|map('upper')|list }}|{{ L|map(attribute='n')|join(',') }}|{{ L|sort(attribute='v')|map(attribute='n')|list }}|{{ L|selectattr('v', 'gt', 1)|map(attribute='n')|list }}|{{ L|rejectattr('v', 'gt', 1)|map(attribute='n')|list }}|{{ L|sum(attribute='v') }}|{{ L|groupby('v')|list }}", {}),
 ('filter_items_attr', H + "{% for k, v in {'b': 1, 'a': 2}|items %}{{ k }}{{ v }}{% endfor %}|{{ {'a': 1}|attr('keys') is callable }}|{{ 'abc'|attr('upper') is callable }}", {}),
 ('filter_html_json_url', H + "{{ 'a&b<c>\"'|escape }}|{{ 'a&b'|e }}|{{ '<b>x</b> &amp;'|striptags }}|{{ {'b': [1, 'x<y'], 'a': none, 'c': 1.5, 'd': true}|tojson }}|{{ 'é'|tojson }}|{{ {'a': 1}|tojson(indent=2) }}|{{ 'a b/c'|urlencode }}|{{ {'k': 'v w'}|urlencode }}|{{ {'id': 'x', 'n': none}|xmlattr }}|{{ 1000|filesizeformat }}|{{ 'x'|safe }}|{{ [1, 'a']|pprint }}", {}),
 ('filter_abs', H + '{{ -3|abs }}|{{ (-2.5)|abs }}|{{ 4|abs }}', {}),
 # --- tests
 ('tests_all', H + "{{ 1 is odd }}{{ 2 is even }}{{ 9 is divisibleby 3 }}{{ 9 is divisibleby(4) }}{{ x is defined }}{{ x is undefined }}{{ none is none }}{{ none is defined }}{{ 'a' is string }}{{ 1 is number }}{{ true is number }}{{ [1] is sequence }}{{ {} is mapping }}{{ 1 is in [1] }}{{ 2 is eq 2 }}{{ 3 is gt 2 }}{{ 'ab' is lower }}{{ 'AB' is upper }}{{ 1 is not odd }}{{ 1 is integer }}{{ 1.0 is float }}{{ true is boolean }}{{ false is false }}{{ true is true }}{{ 'x' is iterable }}{{ 1 is iterable }}{{ range is callable }}{{ 'upper' is filter }}{{ 'odd' is test }}{{ 3 is ne 2 }}{{ 3 is le 2 }}{{ 3 is ge 3 }}{{ 3 is lt 4 }}{{ 'x' is escaped }}", {}),
 # --- Cylc's filters
 ('cylc_pad', H + "{{ 42|pad(5, 0) }}|{{ 'ab'|pad(4) }}|{{ 7|pad(3, '0') }}|{{ 'abcd'|pad(2) }}|{{ 5|pad('4', 'x') }}{% for i in range(0, 3) %} A_{{ i|pad(2, '0') }}{% endfor %}", {}),
 ('cylc_strftime', H + "{{ '2000'|strftime('%H') }}|{{ '2000-01-01T00Z'|strftime('%H') }}|{{ '2000'|strftime('%Y/%m/%d %H:%M:%S') }}|{{ '10661014T08+01'|strftime('%z') }}|{{ '10661014T08+01'|strftime('%j') }}|{{ '12,30,2000'|strftime('%m', '%m,%d,%Y') }}|{{ '1066/10/14 08:00:00'|strftime('%Y%m%dT%H', '%Y/%m/%d %H:%M:%S') }}|{{ '12-30-2000'|strftime('%d', '%m-%d-%Y') }}", {}),
 ('cylc_strftime_more', H + "{{ '2000-01-01T12:30:45Z'|strftime('%Y%m%dT%H%M%S %F %X %j %s') }}|{{ '20200229T06Z'|strftime('%j') }}|{{ '2021W011T00Z'|strftime('%F') }}|{{ '2000-032'|strftime('%F') }}|{{ '20'|strftime('%Y') }}|{{ '2000-02'|strftime('%d') }}|{{ '+002000-01-01'|strftime('%Y') }}|{{ '10661014T08-0130'|strftime('%z %H:%M') }}|{{ '2000-01-01T12.5Z'|strftime('%X') }}|{{ '2000-01-01T12:30,5Z'|strftime('%X') }}|{{ '1999-12-31T23:59:59-01'|strftime('%s') }}", {}),
 ('cylc_duration_as', H + "{{ 'PT1H'|duration_as('seconds')|int }}|{{ 'P7D'|duration_as('w')|int }}|{{ 'PT60M'|duration_as('hours')|int }}|{{ 'PT60S'|duration_as('minutes')|int }}|{{ 'PT1M'|duration_as('s') }}|{{ 'P1D'|duration_as('h') }}|{{ 'PT30M'|duration_as('hours') }}|{{ 'PT30M'|duration_as('seconds') }}|{{ 'P1Y'|duration_as('d') }}|{{ 'P1M'|duration_as('d') }}|{{ 'PT1.5H'|duration_as('m') }}|{{ '-PT1M'|duration_as('s') }}|{{ 'P1DT12H'|duration_as('D') }}|{{ 'PT90S'|duration_as('minutes') }}|{{ 'P2W'|duration_as('days') }}|{{ 'PT1,5M'|duration_as('s') }}", {}),
 ('cylc_strftime_edges', H + "{{ '2000-01-01T24:00Z'|strftime('%H') }}|{{ '2004-W53-7'|strftime('%F') }}|{{ '2000-366'|strftime('%F') }}|{{ '2000-01-01T12+05:30'|strftime('%z') }}|{{ '2000-01-01T12-05'|strftime('%z %s') }}|{{ '2000-W01'|strftime('%F') }}|{{ '2000-01-01T12:30:45.999Z'|strftime('%S') }}", {}),
 ('cylc_duration_edges', H + "{{ 'P0001-00-00T00:00:00'|duration_as('d') }}|{{ 'PT0.5S'|duration_as('s') }}|{{ 'P0D'|duration_as('s') }}|{{ 'P1W'|duration_as('d') }}|{{ 'P1DT'|duration_as('h') }}", {}),
 # --- a realistic Cylc workflow
 ('workflow_ensemble', H + '''{% set N_MEMBERS = N_MEMBERS | default(3) %}
{% set CYCLES = ['T00', 'T12'] %}
[meta]
    title = "Ensemble of {{ N_MEMBERS }} members"
[scheduling]
    initial cycle point = {{ START | default('20200101T00Z') }}
    [[graph]]
{% for C in CYCLES %}
        {{ C }} = """
            prep => {% for M in range(N_MEMBERS) %}mem_{{ '%02d' % M }}{% if not loop.last %} & {% endif %}{% endfor %}

            {{ range(N_MEMBERS) | map('string') | map('pad', 2, '0') | map('replace', '', '') | list | length }} members
        """
{% endfor %}
[runtime]
{% for M in range(N_MEMBERS) %}
    [[mem_{{ '%02d' % M }}]]
        script = run --member={{ M }} --seed={{ (M * 7919) % 1000 }}
        [[[environment]]]
            WALLTIME = {{ 'PT%dM' % (30 + 10 * M) }}
            SECONDS = {{ ('PT%dM' % (30 + 10 * M)) | duration_as('s') | int }}
{% endfor %}
''', {'N_MEMBERS': '2'}),
 ('workflow_macros_and_dicts', H + '''{% set PLATFORMS = {'hpc': {'hosts': ['a', 'b'], 'cores': 48}, 'local': {'hosts': ['localhost'], 'cores': 1}} %}
{% macro runtime(name, platform, inherit='ROOT') %}
    [[{{ name }}]]
        inherit = {{ inherit }}
        platform = {{ platform }}
        [[[directives]]]
            --ntasks = {{ PLATFORMS[platform].cores }}
{%- endmacro %}
[runtime]
{% for p, cfg in PLATFORMS.items() | sort %}
{{ runtime('run_' ~ p, p) }}
    # hosts: {{ cfg.hosts | join(', ') }} ({{ cfg['hosts'] | length }})
{% endfor %}
{{ runtime('final', 'local', inherit='FAM') }}
''', {}),
]

# Error cases: expected Kind, line and message come from Python too.
ERRORS = [
 ('err_syntax_expected_expr', H + '# line before\n{% set x = %}\n# line after', {}),
 ('err_unknown_tag_in_if', H + 'a\n{% if true %}\n{% end if %}\n', {}),
 ('err_unexpected_eof', H + '{% for i in range(3) %}\nx', {}),
 ('err_unknown_tag_top', H + 'a\n{% frobnicate %}', {}),
 ('err_stray_endif', H + 'a\n{% endif %}', {}),
 ('err_nesting_mistake', H + '{% for x in y %}\n{% endif %}', {}),
 ('err_unclosed_print', H + 'a\n{{ x', {}),
 ('err_unclosed_string', H + 'a\n{{ "abc }}', {}),
 ('err_bad_char', H + 'a\n{{ x $ y }}', {}),
 ('err_unbalanced', H + '{{ (1 }}', {}),
 ('err_unbalanced2', H + '{{ [1) }}', {}),
 ('err_missing_comment_end', H + 'a {# b', {}),
 ('err_missing_endraw', H + '{% raw %} b', {}),
 ('err_unknown_filter', H + 'x\n{{ 1|hello }}', {}),
 ('err_unknown_test', H + 'x\n{{ 1 is hello }}', {}),
 ('err_assign_const', H + '{% set true = 1 %}', {}),
 ('err_kwarg_order', H + '{{ f(a=1, 2) }}', {}),
 ('err_macro_default_order', H + '{% macro m(a=1, b) %}{% endmacro %}', {}),
 ('err_undefined_var', H + 'line2\n{{ x }}', {}),
 ('err_undefined_attr', H + '{% set x = {} %}\n\n{{ x.y }}', {}),
 ('err_undefined_item_int', H + '{{ {}[1] }}', {}),
 ('err_undefined_index', H + '{{ [1][5] }}', {}),
 ('err_undefined_str_attr', H + '{{ "ab".foo }}', {}),
 ('err_undefined_none_attr', H + '{{ none.x }}', {}),
 ('err_undefined_in_if', H + 'a\n{% if UNDEF %}x{% endif %}', {}),
 ('err_undefined_length', H + '{{ nope|length }}', {}),
 ('err_undefined_environ', H + "{{ environ['NO_SUCH_VAR'] }}", {}),
 ('err_undefined_in_macro', H + '{% macro m(a, b) %}{{ b }}{% endmacro %}\n{{ m(1) }}', {}),
 ('err_undefined_from_filter', H + '{% set L = [] %}\n{{ L | first ~ "x" }}', {}),
 ('err_raise', H + 'x\n{{ raise("boom") }}', {}),
 ('err_assert', H + 'x\n{{ assert(1 == 2, "nope") }}', {}),
 ('err_raise_in_if', H + '{% if true %}\n  {{ raise("N_MEMBERS must be set") }}\n{% endif %}', {}),
 ('err_type_add', H + 'a\nb\n{{ 1 + "a" }}', {}),
 ('err_type_concat', H + '{{ "a" + 1 }}', {}),
 ('err_type_list_tuple', H + '{{ [1] + (2,) }}', {}),
 ('err_type_compare', H + '{{ 1 < "a" }}', {}),
 ('err_type_in_str', H + '{{ 1 in "abc" }}', {}),
 ('err_zero_div', H + '{{ 1 // 0 }}', {}),
 ('err_zero_mod', H + '{{ 1 % 0 }}', {}),
 ('err_zero_truediv', H + '{{ 1 / 0 }}', {}),
 ('err_zero_float_floordiv', H + '{{ 1.0 // 0 }}', {}),
 ('err_zero_pow', H + '{{ 0 ** -1 }}', {}),
 ('err_pct_real', H + "x\n{{ '%d' % 'a' }}", {}),
 ('err_pct_not_enough', H + "{{ '%s %s' % (1,) }}", {}),
 ('err_pct_too_many', H + "{{ '%s' % (1, 2) }}", {}),
 ('err_pct_bad_char', H + "{{ '%z' % 1 }}", {}),
 ('err_call_noncallable', H + '{{ 1() }}', {}),
 ('err_iter_int', H + '{% for x in 5 %}{% endfor %}', {}),
 ('err_unpack_short', H + '{% for a, b in [1] %}{% endfor %}', {}),
 ('err_unpack_long', H + '{% for a, b in [(1, 2, 3)] %}{% endfor %}', {}),
 ('err_range_step_zero', H + '{{ range(1, 10, 0) }}', {}),
 ('err_macro_too_many', H + '{% macro m(a) %}{{ a }}{% endmacro %}\n{{ m(1, 2) }}', {}),
 ('err_macro_bad_kw', H + '{% macro m(a) %}{{ a }}{% endmacro %}\n{{ m(b=2) }}', {}),
 ('err_ns_non_namespace', H + '{% set d = {} %}{% set d.x = 1 %}', {}),
 ('err_unhashable_key', H + '{% set d = {[1]: 2} %}', {}),
 ('err_strftime_directive', H + "{{ '2000'|strftime('%a') }}", {}),
 ('err_strftime_value', H + "{{ 'nope'|strftime('%Y') }}", {}),
 ('err_strftime_bounds', H + "{{ '20001301'|strftime('%d') }}", {}),
 ('err_duration_value', H + "{{ 'x'|duration_as('s') }}", {}),
 ('err_duration_greedy_hours', H + "{{ 'PT1H2H'|duration_as('h') }}", {}),
 ('err_strftime_week53', H + "{{ '2005-W53-1'|strftime('%F') }}", {}),
 ('err_strftime_second60', H + "{{ '2000-01-01T23:59:60Z'|strftime('%S') }}", {}),
 ('err_strftime_year_bounds', H + "{{ '+012000-01-01'|strftime('%Y') }}", {}),
 ('err_strftime_reduced_with_time', H + "{{ '2000T06'|strftime('%H') }}", {}),
 ('err_strftime_mixed_formats', H + "{{ '2000-01-01T0600'|strftime('%H') }}", {}),
 ('err_duration_units', H + "{{ 'PT1H'|duration_as('q') }}", {}),
 ('err_multiline_expr_line', H + 'a\n{{ 1 +\n  "b" }}', {}),
 ('err_line_after_trim', H + 'a\n\n\n{%- set x = 1 -%}\n\n\n{{ y }}', {}),
]

import os
T = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'templates')
INCLUDES = [
 ('inc_basic', H + '{% set MYVAR = "this is a set variable" %}\n[runtime]\n{% include "runtime.cylc" %}', {}),
 ('inc_sees_loop_vars', H + '{% for MYVAR in ["p", "q"] %}{% set NUM = loop.index %}{% include "runtime.cylc" %}\n{% endfor %}', {}),
 ('inc_sets_do_not_leak', H + '{% set LEAFVAR = "outer" %}{% include "leaf.cylc" %}\n{{ LEAFVAR }}', {}),
 ('inc_without_context', H + '{% set LEAFVAR = "outer" %}{% include "leaf.cylc" without context %}', {}),
 ('inc_first_found', H + '{% include ["missing.cylc", "leaf.cylc"] %}', {}),
 ('inc_ignore_missing', H + '{% include "missing.cylc" ignore missing %}ok', {}),
 ('inc_paths_from_dir', H + '{% include "sub/nested.cylc" %}', {}),
 ('inc_absolute_is_relative', H + '{% include "/leaf.cylc" %}', {}),
 ('inc_header_kept', H + '{% include "header.cylc" %}', {}),
 ('inc_name_expr', H + '{% set n = "leaf" %}{% include n ~ ".cylc" %}', {}),
 ('import_as', H + "{% import 'macros.cylc' as m %}{{ m.greet('x') }} {{ m.CONST }} {{ m.home() }}", {}),
 ('from_import', H + "{% from 'macros.cylc' import greet as g, CONST %}{{ g('y') }}{{ CONST }}", {}),
 ('import_with_context', H + "{% from 'macros.cylc' import uses_var with context %}{{ uses_var() }}", {'X': "'xv'"}),
]
INCLUDE_ERRORS = [
 ('err_inc_dotted', H + '{% include "./sub/../leaf.cylc" %}', {}),
 ('err_inc_missing', H + '{% set MYVAR = 1 %}\n[runtime]\n{% include "runtime-missing.cylc" %}', {}),
 ('err_inc_dotdot', H + '{% include "../templates/leaf.cylc" %}', {}),
 ('err_inc_syntax', H + 'a\n{% include "bad-syntax.cylc" %}', {}),
 ('err_inc_runtime', H + 'a\n\n{% include "bad-runtime.cylc" %}', {}),
 ('err_inc_incomplete', H + '[runtime]\n{% include "incomplete.cylc" %}', {}),
 ('err_import_missing_name', H + "{% from 'macros.cylc' import nope %}\n{{ nope }}", {}),
 ('err_import_no_context', H + "{% from 'macros.cylc' import uses_var %}\n{{ uses_var() }}", {'X': "'xv'"}),
 ('err_from_private', H + "{% from 'macros.cylc' import _private %}", {}),
 ('err_import_missing_template', H + "{% import 'nope.cylc' as n %}", {}),
]
