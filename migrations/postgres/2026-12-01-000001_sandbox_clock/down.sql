DROP TABLE sandbox_clock;
