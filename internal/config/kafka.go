package config

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/sasl"
	"github.com/segmentio/kafka-go/sasl/plain"
	"github.com/segmentio/kafka-go/sasl/scram"
)

// TLSConfig returns the TLS client configuration, or nil when TLS is off. It
// expects settings that passed Validate.
func (k Kafka) TLSConfig() (*tls.Config, error) {
	t := k.TLS
	if !t.Enabled && t.CAFile == "" && t.CertFile == "" && t.KeyFile == "" && !t.InsecureSkipVerify {
		return nil, nil
	}
	c := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: t.InsecureSkipVerify}
	if t.CAFile != "" {
		pem, err := os.ReadFile(t.CAFile)
		if err != nil {
			return nil, fmt.Errorf("reading TLS CA: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("TLS CA %s: no PEM certificate found", t.CAFile)
		}
		c.RootCAs = pool
	}
	if t.CertFile != "" || t.KeyFile != "" {
		cert, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("loading TLS client certificate: %w", err)
		}
		c.Certificates = []tls.Certificate{cert}
	}
	return c, nil
}

// Mechanism returns the SASL mechanism, or nil when SASL is off.
func (k Kafka) Mechanism() (sasl.Mechanism, error) {
	s := k.SASL
	switch s.Mechanism {
	case "":
		return nil, nil
	case "plain", "PLAIN":
		return plain.Mechanism{Username: s.Username, Password: s.Password}, nil
	case "scram-sha-256", "SCRAM-SHA-256":
		return scram.Mechanism(scram.SHA256, s.Username, s.Password)
	case "scram-sha-512", "SCRAM-SHA-512":
		return scram.Mechanism(scram.SHA512, s.Username, s.Password)
	}
	return nil, fmt.Errorf("SASL mechanism %q: want plain, scram-sha-256 or scram-sha-512", s.Mechanism)
}

// Clients returns the kafka-go dialer (readers, probes) and transport
// (writers) for these settings.
func (k Kafka) Clients() (*kafka.Dialer, *kafka.Transport, error) {
	if len(k.Brokers) == 0 {
		return nil, nil, fmt.Errorf("%w: no Kafka brokers configured", ErrUsage)
	}
	if err := k.Validate(); err != nil {
		return nil, nil, err
	}
	tc, err := k.TLSConfig()
	if err != nil {
		return nil, nil, err
	}
	mech, err := k.Mechanism()
	if err != nil {
		return nil, nil, err
	}
	d := &kafka.Dialer{ClientID: k.ClientID, Timeout: 10 * time.Second, DualStack: true, TLS: tc, SASLMechanism: mech}
	t := &kafka.Transport{ClientID: k.ClientID, TLS: tc, SASL: mech, DialTimeout: 10 * time.Second}
	return d, t, nil
}
