//! Staff accounts in SQLite (`accounts` table). Each method is one
//! statement; a taken username surfaces as [`StoreError::Conflict`] from the
//! unique index, so two concurrent creations of one name cannot both win.
//! Rows are parsed back into [`Username`], [`Role`] and [`PasswordHash`];
//! one that no longer parses is [`StoreError::Corrupt`].

use app::accounts::{Account, AccountId, Role, Username};
use async_trait::async_trait;

use super::{now_ms, unique_violation_as_conflict, SqliteStore};
use crate::accounts::PasswordHash;
use crate::store::accounts::{AccountStore, StoredAccount};
use crate::store::StoreError;

/// `(id, username, password_hash, role, created_at)`.
type Row = (i64, String, String, String, i64);

const COLUMNS: &str = "id, username, password_hash, role, created_at";

#[async_trait]
impl AccountStore for SqliteStore {
    async fn insert_account(
        &self,
        username: &Username,
        role: Role,
        password_hash: &PasswordHash,
    ) -> Result<StoredAccount, StoreError> {
        let row: Row = sqlx::query_as(&format!(
            "INSERT INTO accounts (username, password_hash, role, created_at) \
             VALUES (?, ?, ?, ?) RETURNING {COLUMNS}"
        ))
        .bind(username.as_str())
        .bind(password_hash.as_str())
        .bind(role.as_str())
        .bind(now_ms())
        .fetch_one(&self.pool)
        .await
        .map_err(unique_violation_as_conflict)?;
        parse_row(row)
    }

    async fn account_by_username(
        &self,
        username: &Username,
    ) -> Result<Option<StoredAccount>, StoreError> {
        let row: Option<Row> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM accounts WHERE username = ?"
        ))
        .bind(username.as_str())
        .fetch_optional(&self.pool)
        .await?;
        row.map(parse_row).transpose()
    }

    async fn account_by_id(&self, id: AccountId) -> Result<Option<StoredAccount>, StoreError> {
        let row: Option<Row> =
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM accounts WHERE id = ?"))
                .bind(id.0)
                .fetch_optional(&self.pool)
                .await?;
        row.map(parse_row).transpose()
    }

    async fn list_accounts(&self) -> Result<Vec<StoredAccount>, StoreError> {
        let rows: Vec<Row> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM accounts ORDER BY id"))
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(parse_row).collect()
    }

    async fn set_password_hash(
        &self,
        username: &Username,
        password_hash: &PasswordHash,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query("UPDATE accounts SET password_hash = ? WHERE username = ?")
            .bind(password_hash.as_str())
            .bind(username.as_str())
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn remove_account(&self, username: &Username) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM accounts WHERE username = ?")
            .bind(username.as_str())
            .execute(&self.pool)
            .await
            .map_err(|err| match &err {
                sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
                    StoreError::Conflict(format!("{username} is still referenced by other records"))
                }
                _ => StoreError::Database(err),
            })?;
        Ok(done.rows_affected() == 1)
    }
}

fn parse_row((id, username, hash, role, created_at): Row) -> Result<StoredAccount, StoreError> {
    let corrupt = |what: String| StoreError::Corrupt(format!("account {id}: {what}"));
    let role = match role.as_str() {
        "rep" => Role::Rep,
        "admin" => Role::Admin,
        other => return Err(corrupt(format!("role {other:?}"))),
    };
    Ok(StoredAccount {
        account: Account {
            id: AccountId(id),
            username: Username::parse(&username)
                .map_err(|err| corrupt(format!("username {username:?}: {err}")))?,
            role,
        },
        password_hash: PasswordHash::parse(&hash).map_err(|err| corrupt(err.to_string()))?,
        created_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::Password;
    use std::sync::LazyLock;

    static HASH: LazyLock<PasswordHash> =
        LazyLock::new(|| PasswordHash::create(&Password::parse("correct horse").unwrap()).unwrap());

    fn name(raw: &str) -> Username {
        Username::parse(raw).unwrap()
    }

    #[tokio::test]
    async fn accounts_are_created_found_and_listed() {
        let store = SqliteStore::in_memory().await.unwrap();
        let ann = store
            .insert_account(&name("Ann"), Role::Admin, &HASH)
            .await
            .unwrap();
        let bob = store
            .insert_account(&name("bob"), Role::Rep, &HASH)
            .await
            .unwrap();
        assert_eq!(ann.account.username.as_str(), "ann");
        assert_eq!(ann.account.role, Role::Admin);
        assert!(ann.created_at > 1_700_000_000_000, "{}", ann.created_at);
        assert!(bob.account.id > ann.account.id);
        assert_eq!(
            store.account_by_username(&name("ANN")).await.unwrap(),
            Some(ann.clone())
        );
        assert_eq!(
            store.account_by_id(bob.account.id).await.unwrap(),
            Some(bob.clone())
        );
        assert_eq!(store.account_by_username(&name("cy")).await.unwrap(), None);
        assert_eq!(store.list_accounts().await.unwrap(), vec![ann, bob]);
    }

    #[tokio::test]
    async fn a_taken_username_is_a_conflict() {
        let store = SqliteStore::in_memory().await.unwrap();
        store
            .insert_account(&name("ann"), Role::Rep, &HASH)
            .await
            .unwrap();
        let err = store
            .insert_account(&name("Ann"), Role::Admin, &HASH)
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    }

    #[tokio::test]
    async fn passwords_change_and_accounts_go_for_good() {
        let store = SqliteStore::in_memory().await.unwrap();
        let ann = store
            .insert_account(&name("ann"), Role::Rep, &HASH)
            .await
            .unwrap();
        let new_hash = PasswordHash::create(&Password::parse("battery staple").unwrap()).unwrap();
        assert!(store
            .set_password_hash(&name("ann"), &new_hash)
            .await
            .unwrap());
        assert!(!store
            .set_password_hash(&name("bob"), &new_hash)
            .await
            .unwrap());
        let stored = store.account_by_id(ann.account.id).await.unwrap().unwrap();
        assert_eq!(stored.password_hash, new_hash);
        assert!(store.remove_account(&name("ann")).await.unwrap());
        assert!(!store.remove_account(&name("ann")).await.unwrap());
        assert_eq!(store.account_by_id(ann.account.id).await.unwrap(), None);
        let again = store
            .insert_account(&name("ann"), Role::Rep, &HASH)
            .await
            .unwrap();
        assert!(again.account.id > ann.account.id, "ids are never reused");
    }

    #[tokio::test]
    async fn a_corrupt_row_is_reported_not_passed_on() {
        let store = SqliteStore::in_memory().await.unwrap();
        sqlx::query(
            "INSERT INTO accounts (username, password_hash, role, created_at) \
             VALUES ('ann', 'not a hash', 'rep', 0)",
        )
        .execute(&store.pool)
        .await
        .unwrap();
        let err = store.account_by_username(&name("ann")).await.unwrap_err();
        assert!(matches!(err, StoreError::Corrupt(_)), "{err}");
    }
}
