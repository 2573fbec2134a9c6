package config

import "testing"

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{
		"256MB": 256e6, "256mb": 256e6, "1GiB": 1 << 30, "1.5 GB": 1.5e9, "512M": 512 << 20,
		"1048576": 1 << 20, "2048KiB": 2 << 20,
	} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "lots", "-5MB", "10KB", "MB", "1TB"} {
		if _, err := ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q) accepted", bad)
		}
	}
}

func TestCacheSizeInFile(t *testing.T) {
	cfg, err := Load(write(t, "cache_size = \"64MiB\"\n"), env())
	if err != nil || cfg.CacheSize != 64<<20 {
		t.Fatalf("CacheSize %d, %v", cfg.CacheSize, err)
	}
}
