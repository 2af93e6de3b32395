"""The tables the guide's FeatureFlagService reads, as SQL equal to the knex migration a
team would write for them:

    knex.schema.createTable('feature_flags', t => {
      t.string('name').primary();
      t.boolean('enabled').notNullable().defaultTo(false);
      t.boolean('user_overrides').notNullable().defaultTo(false);
      t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    })
    knex.schema.createTable('user_feature_flags', t => {
      t.string('user_id').notNullable();
      t.string('flag_name').notNullable().references('name').inTable('feature_flags')
        .onDelete('CASCADE');
      t.boolean('enabled').notNullable();
      t.primary(['user_id', 'flag_name']);
    })

knex's PostgreSQL dialect writes `string` as varchar(255), `boolean` as boolean,
`timestamp` with useTz as timestamptz and `fn.now()` as CURRENT_TIMESTAMP.
"""

GUIDE_TABLES = """
CREATE TABLE feature_flags (
  name varchar(255) PRIMARY KEY,
  enabled boolean NOT NULL DEFAULT false,
  user_overrides boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE user_feature_flags (
  user_id varchar(255) NOT NULL,
  flag_name varchar(255) NOT NULL REFERENCES feature_flags (name) ON DELETE CASCADE,
  enabled boolean NOT NULL,
  PRIMARY KEY (user_id, flag_name)
);
"""
