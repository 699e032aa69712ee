# Container image for the Wasmplane operator. Build the jars first: mvn -q install -DskipTests
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 65532 --no-create-home wasmplane
COPY operator/target/lib/ /opt/wasmplane/lib/
COPY operator/target/wasmplane-operator-*.jar /opt/wasmplane/
USER 65532
EXPOSE 15010 15014
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-cp", "/opt/wasmplane/*:/opt/wasmplane/lib/*", "io.wasmplane.operator.WasmplaneOperator"]
