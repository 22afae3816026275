package app_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/outsidein/outsidein/internal/app"
	"github.com/outsidein/outsidein/internal/broker"
	"github.com/outsidein/outsidein/internal/config"
	"github.com/outsidein/outsidein/internal/kafkatest"
)

// selfSignedTLS returns a server TLS config for 127.0.0.1 and the path of
// the PEM file of its certificate, to be trusted as a CA.
func selfSignedTLS(t *testing.T) (*tls.Config, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "outsidein test broker"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, ca
}

// TestTLSAndSASL runs the pipeline against a broker that demands TLS and
// SASL, for each mechanism, and checks that wrong credentials get nowhere.
func TestTLSAndSASL(t *testing.T) {
	serverTLS, caFile := selfSignedTLS(t)
	b := kafkatest.Broker(t, broker.Config{Partitions: 2, Extra: []kfake.Opt{
		kfake.TLS(serverTLS), kfake.EnableSASL(),
		kfake.Superuser("PLAIN", "plainuser", "plain-secret"),
		kfake.Superuser("SCRAM-SHA-256", "scram256", "secret-256"),
		kfake.Superuser("SCRAM-SHA-512", "scram512", "secret-512"),
	}})
	secure := func(mech, user, pass string) func(*config.Pipeline) {
		return func(p *config.Pipeline) {
			p.Kafka.TLS.CAFile = caFile
			p.Kafka.SASL = config.SASL{Mechanism: mech, Username: user, Password: pass}
			p.Group = "g-" + mech + "-" + pass
		}
	}
	cases := []struct{ mech, user, pass string }{
		{"plain", "plainuser", "plain-secret"},
		{"scram-sha-256", "scram256", "secret-256"},
		{"scram-sha-512", "scram512", "secret-512"},
	}
	for _, tc := range cases {
		t.Run(tc.mech, func(t *testing.T) {
			// A member with a wrong password starts beside the good one.
			bad := startUnready(t, b.Addr(), secure(tc.mech, tc.user, "wrong"))
			svc := startService(t, b.Addr(), secure(tc.mech, tc.user, tc.pass))

			var k config.Kafka
			k.Brokers = config.List{b.Addr()}
			k.TLS.CAFile = caFile
			k.SASL = config.SASL{Mechanism: tc.mech, Username: tc.user, Password: tc.pass}
			_, transport, err := k.Clients()
			if err != nil {
				t.Fatal(err)
			}
			w := &kafka.Writer{Addr: kafka.TCP(b.Addr()), Topic: "mentions", Transport: transport, BatchTimeout: time.Millisecond}
			defer w.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			if err := w.WriteMessages(ctx, posts(20, tc.mech)...); err != nil {
				t.Fatalf("producing over TLS+SASL: %v", err)
			}
			kafkatest.WaitFor(t, 30*time.Second, "posts classified over TLS+SASL", func() bool {
				return svc.counter("outsidein_published_total") >= 20
			})
			if got := bad.counter("outsidein_consumed_total"); got != 0 {
				t.Errorf("member with a wrong password consumed %v posts", got)
			}
			if res, err := http.Get("http://" + bad.http + "/healthz"); err != nil || res.StatusCode != http.StatusServiceUnavailable {
				t.Errorf("member with a wrong password: /healthz %v %v, want 503", res.StatusCode, err)
			}
		})
	}
}

// startUnready starts a service without waiting for it to become healthy.
func startUnready(t *testing.T, brokerAddr string, tune func(*config.Pipeline)) *service {
	t.Helper()
	p := config.Defaults(brokerAddr, kafkatest.FreeAddr(t))
	tune(&p)
	ctx, cancel := context.WithCancel(context.Background())
	s := &service{reg: prometheus.NewRegistry(), http: p.HTTPAddr, done: make(chan error, 1), stop: cancel}
	go func() { s.done <- app.Run(ctx, p, config.File{}, app.Options{Registry: s.reg}) }()
	t.Cleanup(func() {
		s.stop()
		select {
		case <-s.done:
		case <-time.After(30 * time.Second):
			t.Error("service with wrong credentials did not stop")
		}
	})
	kafkatest.WaitFor(t, 10*time.Second, "its HTTP server", func() bool {
		res, err := http.Get("http://" + s.http + "/livez")
		if err == nil {
			res.Body.Close()
		}
		return err == nil
	})
	return s
}

// TestACLProblemsAreNamed runs the service as users the cluster's ACLs
// short-change: /healthz answers 503 and names what is wrong, and nothing is
// consumed.
func TestACLProblemsAreNamed(t *testing.T) {
	serverTLS, caFile := selfSignedTLS(t)
	allow := func(res kmsg.ACLResourceType, name string, ops ...kmsg.ACLOperation) []kfake.ACL {
		var acls []kfake.ACL
		for _, op := range ops {
			acls = append(acls, kfake.ACL{Resource: res, Name: name, Pattern: kmsg.ACLResourcePatternTypeLiteral, Operation: op, Allow: true})
		}
		return acls
	}
	topic, group := kmsg.ACLResourceTypeTopic, kmsg.ACLResourceTypeGroup
	read, write, describe := kmsg.ACLOperationRead, kmsg.ACLOperationWrite, kmsg.ACLOperationDescribe
	join := func(acls ...[]kfake.ACL) []kfake.ACL {
		var all []kfake.ACL
		for _, a := range acls {
			all = append(all, a...)
		}
		return all
	}
	cases := []struct {
		user string
		acls []kfake.ACL
		want string // in /healthz's body
	}{
		{"nogroup", join(allow(topic, "mentions", read, describe), allow(topic, "mentions.classified", write, describe), allow(topic, "mentions.dlq", write, describe)),
			"[30] Group Authorization Failed"},
		{"nodlq", join(allow(topic, "mentions", read, describe), allow(topic, "mentions.classified", write, describe), allow(group, "outsidein", read)),
			"topics missing on the cluster (or hidden from this user): mentions.dlq"},
	}
	opts := []kfake.Opt{kfake.TLS(serverTLS), kfake.EnableSASL(), kfake.EnableACLs(), kfake.Superuser("PLAIN", "admin", "admin-secret")}
	for _, tc := range cases {
		opts = append(opts, kfake.User("PLAIN", tc.user, tc.user+"-secret", tc.acls...))
	}
	b := kafkatest.Broker(t, broker.Config{Partitions: 1, Extra: opts})
	for _, tc := range cases {
		t.Run(tc.user, func(t *testing.T) {
			svc := startUnready(t, b.Addr(), func(p *config.Pipeline) {
				p.Kafka.TLS.CAFile = caFile
				p.Kafka.SASL = config.SASL{Mechanism: "plain", Username: tc.user, Password: tc.user + "-secret"}
			})
			kafkatest.WaitFor(t, 30*time.Second, "/healthz to name the problem", func() bool {
				code, body := healthBody(svc.http)
				return code == http.StatusServiceUnavailable && strings.Contains(body, tc.want)
			})
			_, body := healthBody(svc.http)
			t.Logf("/healthz: %s", body)
			if got := svc.counter("outsidein_consumed_total"); got != 0 {
				t.Errorf("consumed %v posts", got)
			}
		})
	}
}
