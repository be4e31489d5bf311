//! Command-line operations besides serving: `migrate` and `admin create`.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

use crate::accounts::events;
use crate::accounts::input::RegisterRequest;
use crate::accounts::models::{self, NewUser};
use crate::auth::hasher::hash_password;
use crate::config::Config;
use crate::db;
use crate::http::body::{Intent, Validate};

/// The gateway node.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Cli {
    /// Configuration file over the defaults built into the binary; it must exist. Without it,
    /// config.toml in the working directory is read if there is one. Any setting can be
    /// overridden by a GATEWAY__SECTION__KEY variable.
    #[arg(long, env = "GATEWAY_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the node (the default).
    Serve,
    /// Create the database if needed and apply pending migrations, then exit.
    Migrate,
    /// Platform administration.
    #[command(subcommand)]
    Admin(AdminCommand),
}

/// Platform administration commands.
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a platform administrator. The password comes from GATEWAY_ADMIN_PASSWORD or a prompt.
    Create(CreateAdmin),
}

/// The new administrator's fields.
#[derive(Debug, Args)]
pub struct CreateAdmin {
    #[arg(long)]
    pub email: String,
    #[arg(long)]
    pub name: String,
    #[arg(long = "work-id")]
    pub work_id: String,
    #[arg(long = "work-location")]
    pub work_location: String,
}

fn admin_password() -> anyhow::Result<String> {
    match std::env::var("GATEWAY_ADMIN_PASSWORD") {
        Ok(password) => Ok(password),
        Err(_) => Ok(rpassword::prompt_password("Password for the new administrator: ")?),
    }
}

/// An error as one line for the terminal: its detail and each invalid field.
fn describe(error: &crate::error::Error) -> String {
    let problem = error.problem();
    let fields: Vec<String> = problem.errors.iter().map(|f| format!("{} {}", f.field, f.message)).collect();
    if fields.is_empty() {
        problem.detail
    } else {
        fields.join("; ")
    }
}

/// Creates a platform administrator with the same validation as registration.
pub async fn create_admin(config: &Config, args: CreateAdmin) -> anyhow::Result<()> {
    let account = RegisterRequest {
        work_id: Some(args.work_id),
        name: Some(args.name),
        email: Some(args.email),
        work_location: Some(args.work_location),
        password: Some(admin_password()?),
        timezone: None,
        department: None,
        dept_manager: None,
        birthday: None,
    }
    .validate(&Intent::outside_http(true))
    .map_err(|e| anyhow::anyhow!("{}", describe(&e)))?;
    db::migrate(&config.database.url).await?;
    let pool = db::pool(&config.database)?;
    let mut conn = pool.get().await?;
    if let Some(conflict) = models::taken(&mut conn, &account.email, &account.work_id).await? {
        anyhow::bail!("{}", describe(&conflict));
    }
    let password_hash = hash_password(&account.password)?;
    let new_user = NewUser::from_account(account, password_hash, true);
    let user = events::create_user(&mut conn, &config.node_id(), &new_user)
        .await
        .map_err(|e| anyhow::anyhow!("{}", describe(&e)))?;
    println!("created administrator {} ({})", user.email, user.id);
    Ok(())
}
