// The engine's only door to DuckDB. Nothing outside data/duckdb/ imports @duckdb/node-api.
export { readSource, readRawRow, formatOf, sniffCsvHeader, type CsvLayout, type ReadSourceOptions, type SourceColumns, type SourceField, type SourceFormat } from './read-source.js';
export { writeBarsParquet, readBarsParquet, type ParquetBarColumns } from './parquet.js';
export { withConnection } from './db.js';
export { SweepStore, SWEEP_METRIC_COLUMNS } from './sweep-store.js';
