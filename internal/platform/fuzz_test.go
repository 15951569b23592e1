package platform

import (
	"errors"
	"testing"
)

// FuzzParse feeds arbitrary text to the loader: it must return a Config or
// an error, never panic, and a Config it returns must answer lookups
// without panicking either. Jinja2 rendering is left out (nil template:
// a #!jinja2 file is an error) because internal/jinja has its own fuzzers
// and a template can legitimately loop for a long time.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"",
		sitePlatforms,
		"[platforms]\n[[a, b]]\nhosts = h1, h2\njob runner = slurm\n[platform groups]\n[[g]]\nplatforms = a, b\n",
		"[platforms]\n[[x]]\nsubmission polling intervals = PT1M, 2*PT5M, PT10M\n",
		"[platforms]\n[[\"vld\\d{2,3}\"]]\n[[local.*]]\n[[a(]]\n",
		"[platforms]\n[[a]]\nglobal init-script = \"\"\"\n  x\n\"\"\"\n[[[directives]]]\n-q = big\n",
		"[platforms]\n[[a]]\nhosts = 'a\nuse login shell = yes\n[[[selection]]]\nmethod = random\n",
		"[scheduler]\n[[events]]\nx = y\n[platform groups]\n[[g.*]]\n[[[selection]]]\nmethod = definition order\n",
		"#!jinja2\n[platforms]\n",
		"x = 1\n[bogus]\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		c, err := parse("global.cylc", []byte(src), nil, Options{Rand: func(n int) int { return n / 2 }})
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		names := append(c.PlatformNames(), c.GroupNames()...)
		names = append(names, "localhost", "x", "")
		for _, n := range names {
			p, err := c.PlatformAvoiding(n, map[string]bool{"h1": true})
			if err != nil {
				if !errors.Is(err, ErrNoPlatform) && !errors.Is(err, ErrNoPlatforms) {
					t.Fatalf("lookup %q: unexpected error kind: %v", n, err)
				}
				continue
			}
			if len(p.Hosts) == 0 || p.InstallTarget == "" {
				t.Fatalf("lookup %q: platform without hosts or install target: %+v", n, p)
			}
			_, _ = p.SelectHost(map[string]bool{"h2": true}, nil)
			_, _ = c.FromCylc7(n, "slurm")
		}
	})
}
