package api

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestNewCredentials(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run", ".service")
	c, err := NewCredentials(dir)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o700 {
		t.Errorf("service dir mode %04o, want 0700", perm)
	}
	for _, name := range []string{TokenFileName, certFileName, keyFileName} {
		info, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if perm := info.Mode().Perm(); perm != 0o600 {
			t.Errorf("%s mode %04o, want 0600", name, perm)
		}
	}
	if len(c.Token) != 43 { // 32 random bytes, base64 without padding
		t.Errorf("token %d characters, want 43", len(c.Token))
	}
	der := c.Certificate.Certificate[0]
	sum := sha256.Sum256(der)
	if want := hex.EncodeToString(sum[:]); c.Fingerprint != want {
		t.Errorf("fingerprint %s, want %s", c.Fingerprint, want)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pub, ok := cert.PublicKey.(*ecdsa.PublicKey)
	if !ok || pub.Curve != elliptic.P256() {
		t.Errorf("public key %T, want ECDSA P-256", cert.PublicKey)
	}
	host, _ := os.Hostname()
	if !slices.Contains(cert.DNSNames, "localhost") || (host != "" && !slices.Contains(cert.DNSNames, host)) {
		t.Errorf("DNS names %v, want localhost and %s", cert.DNSNames, host)
	}
	for _, ip := range []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback} {
		if !slices.ContainsFunc(cert.IPAddresses, ip.Equal) {
			t.Errorf("IP addresses %v lack %v", cert.IPAddresses, ip)
		}
	}

	loaded, err := LoadCredentials(dir)
	if err != nil {
		t.Fatal(err)
	}
	if loaded.Token != c.Token || loaded.Fingerprint != c.Fingerprint {
		t.Errorf("LoadCredentials gave a different token or certificate")
	}
	again, err := EnsureCredentials(dir)
	if err != nil {
		t.Fatal(err)
	}
	if again.Fingerprint != c.Fingerprint {
		t.Errorf("EnsureCredentials replaced existing credentials")
	}
	fresh, err := NewCredentials(dir)
	if err != nil {
		t.Fatal(err)
	}
	if fresh.Token == c.Token || fresh.Fingerprint == c.Fingerprint {
		t.Errorf("NewCredentials reused the old token or certificate")
	}
}

func TestEnsureCredentialsCreates(t *testing.T) {
	dir := filepath.Join(t.TempDir(), ".service")
	c, err := EnsureCredentials(dir)
	if err != nil {
		t.Fatal(err)
	}
	if c.Token == "" || c.Fingerprint == "" {
		t.Fatalf("EnsureCredentials made empty credentials: %+v", c)
	}
}

func TestCredentialsRefused(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(dir string) error
		want  string
	}{
		{"token readable by others", func(dir string) error {
			return os.Chmod(filepath.Join(dir, TokenFileName), 0o644)
		}, "mode 0644"},
		{"key readable by group", func(dir string) error {
			return os.Chmod(filepath.Join(dir, keyFileName), 0o640)
		}, "mode 0640"},
		{"no token", func(dir string) error {
			return os.Remove(filepath.Join(dir, TokenFileName))
		}, "no such file"},
		{"empty token", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, TokenFileName), []byte("\n"), 0o600)
		}, "want one line"},
		{"token with blanks", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, TokenFileName), []byte("a b\n"), 0o600)
		}, "want one line"},
		{"certificate of another key", func(dir string) error {
			other := filepath.Join(filepath.Dir(dir), "other")
			if _, err := NewCredentials(other); err != nil {
				return err
			}
			data, err := os.ReadFile(filepath.Join(other, certFileName))
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dir, certFileName), data, 0o600)
		}, "remove both"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), ".service")
			if _, err := NewCredentials(dir); err != nil {
				t.Fatal(err)
			}
			if err := tt.spoil(dir); err != nil {
				t.Fatal(err)
			}
			_, err := LoadCredentials(dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("LoadCredentials error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestServiceDirMustBePrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), ".service")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := NewCredentials(dir)
	if err == nil || !strings.Contains(err.Error(), "chmod 700") {
		t.Fatalf("NewCredentials in a 0755 directory: error %v, want a chmod 700 hint", err)
	}
}

func TestNormalFingerprint(t *testing.T) {
	for in, want := range map[string]string{
		"AB:CD:01":  "abcd01",
		" abcd01\n": "abcd01",
		"ABCD01":    "abcd01",
	} {
		if got := normalFingerprint(in); got != want {
			t.Errorf("normalFingerprint(%q) = %q, want %q", in, got, want)
		}
	}
}
