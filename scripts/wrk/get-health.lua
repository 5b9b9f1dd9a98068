-- wrk script: GET /v1/health, a no-op endpoint; measures the load generator's own ceiling.
wrk.method = "GET"
wrk.path = "/v1/health"
dofile(os.getenv("BENCH_REPORT_LUA"))
