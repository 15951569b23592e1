package api

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// The files of a run's credentials, in its .service directory.
const (
	TokenFileName = "token"
	certFileName  = "tls.crt"
	keyFileName   = "tls.key"
)

// Credentials are what a scheduler run authenticates with: a bearer token
// every client must present, and a self-signed TLS certificate that clients
// pin by fingerprint. They live in the run's .service directory, readable by
// the owner only.
type Credentials struct {
	Dir         string // the .service directory they were loaded from
	Token       string // the bearer token; a secret, never log it
	Certificate tls.Certificate
	Fingerprint string // SHA-256 of the DER certificate, lower-case hex
}

// NewCredentials creates fresh credentials in serviceDir (created with mode
// 0700 if needed): a random 256-bit token and an ECDSA P-256 certificate for
// this host's names and loopback addresses. Any previous credentials there
// are replaced, which locks out every client holding the old ones; a
// scheduler restarting a run should use EnsureCredentials so that jobs
// submitted before the restart can still report.
func NewCredentials(serviceDir string) (*Credentials, error) {
	if err := ensurePrivateDir(serviceDir); err != nil {
		return nil, err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, fmt.Errorf("credentials: random token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	certPEM, keyPEM, err := selfSignedCert(time.Now())
	if err != nil {
		return nil, err
	}
	// The key and certificate go first: a client that sees the new token
	// must also find the certificate it goes with.
	for _, f := range []struct {
		name string
		data []byte
	}{
		{keyFileName, keyPEM}, {certFileName, certPEM}, {TokenFileName, []byte(token + "\n")},
	} {
		if err := writePrivateFile(filepath.Join(serviceDir, f.name), f.data); err != nil {
			return nil, err
		}
	}
	return LoadCredentials(serviceDir)
}

// EnsureCredentials loads the credentials in serviceDir, or creates them if
// there are none yet. Other errors (damaged files, files readable by other
// users) are returned rather than papered over with new credentials.
func EnsureCredentials(serviceDir string) (*Credentials, error) {
	c, err := LoadCredentials(serviceDir)
	if errors.Is(err, fs.ErrNotExist) {
		return NewCredentials(serviceDir)
	}
	return c, err
}

// LoadCredentials reads the credentials in serviceDir. The token and the key
// must be private to their owner (no group or other permissions), as ssh
// insists for its keys: a secret others could read is no secret.
func LoadCredentials(serviceDir string) (*Credentials, error) {
	token, err := ReadToken(filepath.Join(serviceDir, TokenFileName))
	if err != nil {
		return nil, err
	}
	keyPath := filepath.Join(serviceDir, keyFileName)
	keyPEM, err := readPrivateFile(keyPath)
	if err != nil {
		return nil, err
	}
	certPath := filepath.Join(serviceDir, certFileName)
	certPEM, err := os.ReadFile(certPath)
	if err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, fmt.Errorf("credentials: %s and %s: %w (remove both and restart to make new ones)", certPath, keyPath, err)
	}
	return &Credentials{
		Dir:         serviceDir,
		Token:       token,
		Certificate: cert,
		Fingerprint: Fingerprint(cert.Certificate[0]),
	}, nil
}

// ReadToken reads a token file, which must be private to its owner and hold
// one non-empty line.
func ReadToken(path string) (string, error) {
	data, err := readPrivateFile(path)
	if err != nil {
		return "", err
	}
	token := strings.TrimSpace(string(data))
	if token == "" || strings.ContainsAny(token, " \t\r\n") {
		return "", fmt.Errorf("credentials: token file %s: want one line holding the token", path)
	}
	return token, nil
}

// Fingerprint is the pin clients check a scheduler's certificate against:
// the SHA-256 of its DER encoding, in lower-case hex.
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

// normalFingerprint accepts a fingerprint as people paste them: upper or
// lower case, with or without colons between the bytes.
func normalFingerprint(s string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), ":", ""))
}

// selfSignedCert makes a certificate that is valid for ten years: clients
// trust it because they pin it, not because of its dates or names, which are
// filled in only for the benefit of people and tools that inspect it.
func selfSignedCert(now time.Time) (certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("credentials: generate key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, nil, fmt.Errorf("credentials: serial number: %w", err)
	}
	names := []string{"localhost"}
	host, _ := os.Hostname()
	if host != "" && host != "localhost" {
		names = append(names, host)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "gyre scheduler " + host},
		NotBefore:             now.Add(-time.Hour), // tolerate clocks a little behind
		NotAfter:              now.AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		DNSNames:              names,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, fmt.Errorf("credentials: create certificate: %w", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, fmt.Errorf("credentials: encode key: %w", err)
	}
	certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	return certPEM, keyPEM, nil
}

// ensurePrivateDir creates dir with mode 0700, or checks that an existing
// one is not open to other users: the socket and the secrets inside rely on
// it.
func ensurePrivateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("credentials: %w", err)
	}
	info, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("credentials: %w", err)
	}
	if !info.IsDir() {
		return fmt.Errorf("credentials: %s is not a directory", dir)
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Errorf("credentials: directory %s has mode %04o; it must be private to its owner (chmod 700 %s)", dir, perm, dir)
	}
	return nil
}

// writePrivateFile replaces path atomically with a 0600 file holding data,
// synced to disk so that a client on another host sharing the file system
// sees it whole.
func writePrivateFile(path string, data []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	err = tmp.Chmod(0o600)
	if err == nil {
		_, err = tmp.Write(data)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // make the rename durable; best effort on odd file systems
		d.Close()
	}
	return nil
}

// readPrivateFile reads a secret, refusing one that others could read too.
func readPrivateFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("credentials: %s has mode %04o; secrets must be private to their owner (chmod 600 %s)", path, perm, path)
	}
	data, err := io.ReadAll(io.LimitReader(f, 1<<20+1))
	if err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	if len(data) > 1<<20 {
		return nil, fmt.Errorf("credentials: %s is larger than 1 MiB; not a credentials file", path)
	}
	return data, nil
}
