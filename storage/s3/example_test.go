package s3_test

import (
	"fmt"

	"github.com/sohoa/sohoa/storage/s3"
)

// The command line turns a --store URL into a store with ParseURL and
// New; credentials come from the environment.
func ExampleParseURL() {
	cfg, err := s3.ParseURL("s3://archive/sohoa?endpoint=http://minio.lan:9000&sse=AES256")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cfg.Bucket, cfg.Prefix, cfg.Endpoint, cfg.SSE)
	// Then: store, err := s3.New(ctx, cfg)

	_, err = s3.ParseURL("s3://AKIAEXAMPLE:wJalrXUtnFEMI@archive/sohoa")
	fmt.Println(err)
	// Output:
	// archive sohoa http://minio.lan:9000 AES256
	// s3 store URL: credentials in the URL are refused (they would end up in logs and shell history): set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment
}
