# Build: a release binary with SQLite compiled in and no libpq.
FROM rust:1.88-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin claims-exchange

# Run: a small Debian image with the binary only, as an unprivileged user.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --home-dir /var/lib/claims-exchange claims
COPY --from=build /src/target/release/claims-exchange /usr/local/bin/claims-exchange
USER claims
WORKDIR /var/lib/claims-exchange
ENV CLAIMS_EXCHANGE_LISTEN=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["claims-exchange"]
CMD ["serve"]
