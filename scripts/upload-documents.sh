#!/usr/bin/env bash
# Uploads a folder of governed documents (Markdown with front matter, other files with {file}.aims.yaml sidecars)
# into the deployment's `documents` container, which the DocumentsBlob source reads (docs/documents.md).
#
# Run by azd after `azd provision` (azure.yaml hook) when AIMS_DOCUMENTS_FOLDER is set, or by hand:
#   AIMS_DOCUMENTS_FOLDER=./governance scripts/upload-documents.sh
# It signs in as you (`--auth-mode login`: the storage account accepts no shared keys); Bicep gives the deploying
# principal Storage Blob Data Contributor on that one container. Top-level hidden files are not uploaded; the source
# ignores hidden files and folders at any depth.
set -euo pipefail

folder="${AIMS_DOCUMENTS_FOLDER:-}"
if [ -z "$folder" ]; then
  echo "upload-documents: AIMS_DOCUMENTS_FOLDER is not set; no documents uploaded (azd env set AIMS_DOCUMENTS_FOLDER <folder>)."
  exit 0
fi

if [ ! -d "$folder" ]; then
  echo "upload-documents: AIMS_DOCUMENTS_FOLDER '$folder' is not a folder." >&2
  exit 2
fi

account="${AIMS_STORAGE_ACCOUNT_NAME:-}"
if [ -z "$account" ]; then
  echo "upload-documents: AIMS_STORAGE_ACCOUNT_NAME is not set; run 'azd provision' first (it is an output of infra/main.bicep)." >&2
  exit 2
fi

container="${AIMS_DOCUMENTS_CONTAINER:-documents}"
prefix="${AIMS_DOCUMENTS_PREFIX:-}"

echo "upload-documents: $folder -> https://$account.blob.core.windows.net/$container/${prefix}"
az storage blob upload-batch \
  --auth-mode login \
  --account-name "$account" \
  --destination "$container" \
  --destination-path "$prefix" \
  --source "$folder" \
  --pattern '[!.]*' \
  --overwrite true \
  --only-show-errors \
  --output none
echo "upload-documents: done. The next collection run reads them (Aims:Sources:DocumentsBlob)."
